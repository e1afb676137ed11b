package atlas.cli;

import atlas.error.BadInputException;
import atlas.error.NumericalException;
import atlas.net.ModelException;
import atlas.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's exception types decide the exit code; a plain IllegalArgumentException or UncheckedIOException
 * (a kernel's contract check, a bug) is internal (4) and says so, rather than reading as the user's fault.
 */
class ExitCodeMappingTest {

    @Test
    void ownTypesMapToTheirCodes() {
        assertThat(AtlasCommand.exitCode(new BadInputException("x"))).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(AtlasCommand.exitCode(new ModelException("x"))).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(AtlasCommand.exitCode(new NumericalException("x"))).isEqualTo(ExitCodes.NUMERICAL);
        assertThat(AtlasCommand.exitCode(new TrainingDivergedException(3, "x"))).isEqualTo(ExitCodes.NUMERICAL);
        assertThat(AtlasCommand.exitCode(new ExitException(7, "x"))).isEqualTo(7);
        assertThat(AtlasCommand.exitCode(new CancellationException())).isEqualTo(ExitCodes.INTERRUPTED);
    }

    @Test
    void plainKernelExceptionsAreInternalErrors() {
        IllegalArgumentException kernel = new IllegalArgumentException("affine map shape mismatch");
        assertThat(AtlasCommand.exitCode(kernel)).isEqualTo(ExitCodes.INTERNAL);
        assertThat(AtlasCommand.message(kernel)).startsWith("internal error: ").contains("affine map shape mismatch");
        assertThat(AtlasCommand.exitCode(new UncheckedIOException(new IOException("disk")))).isEqualTo(ExitCodes.INTERNAL);
        assertThat(AtlasCommand.exitCode(new NullPointerException())).isEqualTo(ExitCodes.INTERNAL);
        assertThat(AtlasCommand.message(new BadInputException("--size must be positive"))).isEqualTo("--size must be positive");
    }

    @Test
    void messagesAreOneLineWithoutControlCharacters() {
        // a name read from a hostile file must not break the line or move the cursor
        assertThat(AtlasCommand.message(new atlas.error.BadInputException("node '\rlayers.2\u0007' is bad\nsecond line")))
                .isEqualTo("node '?layers.2?' is bad");
    }
}
