package dev.fovea.audit.batch;

import dev.fovea.audit.ProgressListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs cells in {@code threads} worker threads of this process. Workers take cells in grid order from one queue,
 * each with its own {@link CellRunner}, so each worker keeps its model open across consecutive cells of that model.
 * Each cell's own loops run in the engine's threads (or libtorch's) as they would in a single command.
 */
public final class LocalEngine implements BatchEngine {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public List<CellRecord> run(List<Cell> cells, Path cellsDir, int threads, boolean failFast, String master, Listener listener) {
        ConcurrentLinkedQueue<Cell> queue = new ConcurrentLinkedQueue<>(cells);
        List<CellRecord> done = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Runnable worker = () -> {
            try (CellRunner runner = new CellRunner(cellsDir)) {
                Cell c;
                while (!stop.get() && (c = queue.poll()) != null) {
                    listener.started(c);
                    CellRecord r = runner.run(c, ProgressListener.NONE);
                    done.add(r);
                    if (!r.ok() && failFast) {
                        stop.set(true);
                    }
                    listener.finished(r);
                }
            }
        };
        int n = Math.max(1, Math.min(threads, cells.size()));
        if (n == 1) {
            worker.run();
            return List.copyOf(done);
        }
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(worker, "fovea-batch-" + (i + 1));
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                stop.set(true);
                Thread.currentThread().interrupt();
            }
        }
        return List.copyOf(done);
    }
}
