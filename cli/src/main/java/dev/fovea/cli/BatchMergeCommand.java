package dev.fovea.cli;

import dev.fovea.audit.batch.BatchFolder;
import dev.fovea.audit.batch.BatchRunner;
import dev.fovea.audit.batch.CellRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea batch merge DIR... --out DIR}: joins the batch folders of shards of one grid (or of runs on several
 * machines) into one, each cell's verified result copied once, and writes the merged outputs over the whole grid.
 * Folders of different grids are refused; cells no folder has are listed as missing.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Join the batch folders of the shards of one grid into one: cells, results.csv, results.json, charts and index.html.")
public final class BatchMergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Batch folders of one grid (shards, or runs on other machines).")
    List<Path> dirs;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "The joined batch folder (may be one of the inputs).")
    Path out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        SingleFile.folder("--out", out);
        if (BatchFolder.state(out) == BatchFolder.State.OTHER) {
            throw new UsageException("--out " + out + ": holds files that are not a batch's; choose an empty or a new folder");
        }
        List<CellRecord> records = BatchRunner.merge(dirs, out);
        long ok = records.stream().filter(CellRecord::ok).count();
        long failed = records.stream().filter(r -> CellRecord.FAILED.equals(r.status())).count();
        long missing = records.size() - ok - failed;
        PrintWriter o = command.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s (index.html, results.csv, results.json, batch.json, charts/, cells/): %d cells, %d ok, %d failed, %d missing%n",
                out, records.size(), ok, failed, missing);
        o.flush();
        return Cli.OK;
    }
}
