package io.harstream.registry;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.model.BundleManifest;
import io.harstream.core.model.registry.ModelRole;
import io.harstream.core.model.registry.ModelRoles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code harstream models}: publishes model bundles to the models topic and changes which one is active, for every
 * stream-app instance at once. Only wires options to a {@link ModelRegistry} and prints what it did.
 */
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
        description = {"Publishes model bundles to the models topic (compacted, default har-models) and says which is "
                + "active and which is the candidate; every stream-app instance follows the topic.",
                "",
                "Each change is one Kafka transaction: the bundle record (publish) and the new roles record."},
        subcommands = {ModelsCommand.Publish.class, ModelsCommand.ListModels.class, ModelsCommand.Promote.class,
                ModelsCommand.Rollback.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:unexpected failure (stack trace printed)",
                "2:bad input, a bundle the stream-app would refuse, Kafka unreachable or refusing, an impossible "
                        + "role change (message printed, nothing written)"})
public final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with harstream's error handling: problems print one line and exit 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ModelsCommand());
        cl.setOverwrittenOptionsAllowed(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof RegistryException) {
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: publish, list, promote "
                + "or rollback");
    }

    @Command(name = "publish", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
            description = {"Publishes a model bundle (the trainer's output directory) to the models topic, creating "
                    + "the topic when absent. The bundle is checked as a stream-app checks it first; a bundle it "
                    + "would refuse is refused here and nothing is written. Prints the version and its role."})
    static final class Publish extends Subcommand {
        @Option(names = "--model", required = true, paramLabel = "DIR",
                description = "The bundle directory: model.json and model.zip, metrics.json when present.")
        Path model;

        @Option(names = "--role", paramLabel = "active|candidate", defaultValue = "candidate",
                description = "active: serve it now (the active model goes to the history); candidate: classify "
                        + "beside the active model for comparison. Default: ${DEFAULT-VALUE}.")
        String role;

        @Override
        public Integer call() {
            ModelRole r;
            try {
                r = ModelRole.fromId(role);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("--role: " + e.getMessage(), e);
            }
            RegistryTarget target = registry.target();
            ModelRegistry.Change c = new ModelRegistry(target).publish(model, r);
            print(spec, "published %s as %s to topic %s at %s (%,d bytes); %s", c.version(), r.id(), target.topic(),
                    target.bootstrapServers(), c.bytes(), rolesLine(c.roles()));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
            description = {"Lists the active model, the candidate, the earlier active ones and any other published "
                    + "bundle: version, classes, offline test accuracy and macro-F1, when published."})
    static final class ListModels extends Subcommand {
        @Override
        public Integer call() {
            RegistryTarget target = registry.target();
            RegistryState state = new ModelRegistry(target).read();
            PrintWriter out = spec.commandLine().getOut();
            ModelRoles roles = state.roles();
            out.printf(Locale.ROOT, "topic %s at %s: %s%n", target.topic(), target.bootstrapServers(),
                    roles.change() == null ? "no roles record yet"
                            : "roles set by " + roles.change() + " at " + roles.updatedAt());
            out.printf(Locale.ROOT, "%-10s %-34s %-9s %-9s %-21s %s%n", "ROLE", "VERSION", "ACCURACY", "MACRO-F1",
                    "PUBLISHED", "CLASSES");
            List<String> shown = new ArrayList<>();
            row(out, "active", roles.active(), state, shown);
            row(out, "candidate", roles.candidate(), state, shown);
            for (String v : roles.history()) {
                row(out, "history", v, state, shown);
            }
            for (String v : state.bundles().keySet()) {
                if (!shown.contains(v)) {
                    row(out, "-", v, state, shown);
                }
            }
            out.flush();
            return 0;
        }

        private static void row(PrintWriter out, String role, String version, RegistryState state, List<String> shown) {
            if (version == null) {
                out.printf(Locale.ROOT, "%-10s %s%n", role, "(none)");
                return;
            }
            shown.add(version);
            PublishedBundle b = state.bundle(version).orElse(null);
            if (b == null) {
                out.printf(Locale.ROOT, "%-10s %-34s (no bundle record on the topic)%n", role, version);
            } else if (b.problem() != null) {
                out.printf(Locale.ROOT, "%-10s %-34s refused: %s%n", role, version, b.problem());
            } else {
                BundleManifest m = b.manifest();
                out.printf(Locale.ROOT, "%-10s %-34s %-9.4f %-9.4f %-21s %d: %s%n", role, version,
                        m.metrics().testAccuracy(), m.metrics().macroF1(),
                        b.publishedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), m.classes().size(),
                        String.join(",", m.classes()));
            }
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
            description = {"Makes the candidate VERSION active; the active model goes to the history."})
    static final class Promote extends Subcommand {
        @Parameters(paramLabel = "VERSION", description = "The candidate's model version (models list shows it).")
        String version;

        @Override
        public Integer call() {
            ModelRegistry.Change c = new ModelRegistry(registry.target()).promote(version);
            print(spec, "promoted %s to active; %s", c.version(), rolesLine(c.roles()));
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
            description = {"Makes the previously active model active again (the newest of the history); the candidate "
                    + "stays."})
    static final class Rollback extends Subcommand {
        @Override
        public Integer call() {
            ModelRegistry.Change c = new ModelRegistry(registry.target()).rollback();
            print(spec, "rolled back to %s; %s", c.version(), rolesLine(c.roles()));
            return 0;
        }
    }

    /** What every subcommand has: its spec (for the output) and where the models topic is. */
    abstract static class Subcommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RegistryOptions registry = new RegistryOptions();
    }

    /** E.g. {@code active: v2, candidate: none, history: [v1]}. */
    static String rolesLine(ModelRoles r) {
        return "active: " + (r.active() == null ? "none" : r.active()) + ", candidate: "
                + (r.candidate() == null ? "none" : r.candidate()) + ", history: " + r.history();
    }

    private static void print(CommandSpec spec, String format, Object... args) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }
}
