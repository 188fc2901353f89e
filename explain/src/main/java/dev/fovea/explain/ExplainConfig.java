package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;

/**
 * One call's configuration: the method's own options ({@link Attribution#defaultOptions()},
 * {@link Attribution#options}) and what every method shares, validated here:
 * <ul>
 *   <li>{@code score}: what is explained, the target's logit (default) or its softmax probability;</li>
 *   <li>{@code batchSize}: model rows per internal call, bounding memory; results do not depend on it (default 64);</li>
 *   <li>{@code seed}: every random draw (noise, uniform baselines) follows it (default 0).</li>
 * </ul>
 * Jackson writes it as the options a report gives: {@code score}, {@code batch_size}, then the method's options
 * ({@code {"score":"logit","batch_size":64,"steps":32,...}}); the seed is left to the report's provenance.
 */
@JsonPropertyOrder({"score", "batch_size"})
public record ExplainConfig(@JsonUnwrapped AttributionOptions options, Score score, @JsonProperty("batch_size") int batchSize,
                            @JsonIgnore long seed) {
    public static final long DEFAULT_SEED = 0L;
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** The scalar explained per sample. */
    public enum Score {
        LOGIT, PROBABILITY;

        /** As callers write it: {@code logit}, {@code probability}. */
        @JsonValue
        public String spelling() {
            return OptionInfo.spelling(this);
        }
    }

    public ExplainConfig {
        if (options == null) {
            throw new IllegalArgumentException("explain: expected the method's options, got none");
        }
        if (score == null) {
            throw new InvalidOptionException("score", "score: expected one of logit, probability, got none");
        }
        if (batchSize < 1) {
            throw new InvalidOptionException("batchSize", "batchSize must be >= 1, got " + batchSize);
        }
    }

    /** {@code options} with the shared defaults: logit, batches of {@link #DEFAULT_BATCH_SIZE}, {@link #DEFAULT_SEED}. */
    public static ExplainConfig of(AttributionOptions options) {
        return new ExplainConfig(options, Score.LOGIT, DEFAULT_BATCH_SIZE, DEFAULT_SEED);
    }

    /** The method's default options with the shared defaults. */
    public static ExplainConfig defaults(Attribution method) {
        return of(method.defaultOptions());
    }

    public ExplainConfig withOptions(AttributionOptions v) {
        return new ExplainConfig(v, score, batchSize, seed);
    }

    public ExplainConfig withScore(Score v) {
        return new ExplainConfig(options, v, batchSize, seed);
    }

    public ExplainConfig withBatchSize(int v) {
        return new ExplainConfig(options, score, v, seed);
    }

    public ExplainConfig withSeed(long v) {
        return new ExplainConfig(options, score, batchSize, v);
    }
}
