/**
 * What a method (an attack, an attribution method, a corruption) says about itself, so that the command line,
 * audit plans and batch specs are driven by the registries: {@link dev.fovea.method.OptionInfo} describes one
 * option, {@link dev.fovea.method.OptionValues} reads named values against those descriptions (unknown names and
 * values that do not parse are errors), {@link dev.fovea.method.InvalidOptionException} names the option a caller got wrong by its library name
 * ({@code eps}, {@code batchSize}), which a front end maps to what its user typed.
 */
package dev.fovea.method;
