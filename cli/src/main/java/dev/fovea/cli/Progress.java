package dev.fovea.cli;

import dev.fovea.audit.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;

/**
 * Progress bars on the terminal (rate, ETA and an extra message), or nothing when output is not a terminal or
 * {@code --quiet} is given, so logs and CI output stay clean. A bar is one line below everything printed
 * ({@link Terminal}): results printed while it runs appear above it and stay on the screen. As a {@link ProgressListener} it draws one bar per task
 * a run opens.
 */
final class Progress implements ProgressListener.Task {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** The listener that draws a bar per task, or draws nothing when {@code quiet} or not on a terminal. */
    static ProgressListener listener(boolean quiet) {
        return (name, total, unit) -> start(name, total, unit, quiet);
    }

    static Progress start(String task, long total, String unit, boolean quiet) {
        if (quiet || System.console() == null || total <= 0) {
            return new Progress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .setEtaFunction(state -> state.getCurrent() <= 0 ? java.util.Optional.empty()
                        : java.util.Optional.of(Duration.ofMillis((long) (state.getElapsedAfterStart().toMillis()
                        * (double) (state.getMax() - state.getCurrent()) / state.getCurrent()))))
                .clearDisplayOnFinish()
                .setConsumer(Terminal.bar(Terminal.columns(79)))
                .build();
        return new Progress(bar);
    }

    @Override
    public void step(long n, String message) {
        if (bar != null) {
            bar.stepBy(n);
            if (message != null) {
                bar.setExtraMessage(" · " + message);
            }
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
