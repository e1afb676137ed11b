package atlas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code atlas experiment ...}: one subcommand per published experiment, each writing a report folder. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Reproduce published experiments; each writes a report folder (tables, figures, summary).",
        subcommands = {
                HaninRolnickExperimentCommand.class,
                OverfitExperimentCommand.class,
                DepthExperimentCommand.class,
                SpaceFoldsExperimentCommand.class,
                SkipExperimentCommand.class,
                RingSweepExperimentCommand.class,
        })
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }
}
