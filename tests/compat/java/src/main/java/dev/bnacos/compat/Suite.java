package dev.bnacos.compat;

/**
 * A group of scenario steps sharing client objects (config: C1–C6; naming: N1–N6).
 *
 * <p>{@link #run} reports every step through {@link Harness#step} and must not throw for a step
 * failure; {@link #close} shuts down every client the suite created (bounded with
 * {@link Harness#bounded}).
 */
interface Suite {
    String name();

    void run(Harness h);

    void close(Harness h);
}
