package dev.fovea.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;

/**
 * A progress bar on the terminal (rate, ETA and an extra message), or nothing when output is not a terminal or
 * {@code --quiet} is given, so logs and CI output stay clean.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
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
                .build();
        return new Progress(bar);
    }

    void step(long n, String message) {
        if (bar != null) {
            bar.stepBy(n);
            if (message != null) {
                bar.setExtraMessage(message);
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
