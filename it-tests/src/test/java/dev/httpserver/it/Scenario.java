package dev.httpserver.it;

import dev.httpserver.it.Servers.Target;

/** One row of the scenario table: a behaviour, the server it is checked against, and the check. */
record Scenario(Target target, String behaviour, Check check) {

    /** The check of one scenario, given a {@link Probe} bound to the row's target and the mode's curl. */
    @FunctionalInterface
    interface Check {
        void run(Probe probe) throws Exception;
    }

    @Override
    public String toString() {
        return target.label + ": " + behaviour;
    }
}
