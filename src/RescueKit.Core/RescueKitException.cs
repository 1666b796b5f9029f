namespace RescueKit.Core;

/// <summary>
/// An error the user can act on: its message is one line naming what is wrong and what to do, and it carries
/// the exit code the CLI returns. Anything else reaching the top level is a bug (<see cref="ExitCodes.Internal"/>).
/// </summary>
public class RescueKitException : Exception
{
    public RescueKitException(string message, int exitCode, Exception? inner = null) : base(message, inner)
        => ExitCode = exitCode;

    public int ExitCode { get; }
}

/// <summary>The user gave an input that cannot be used.</summary>
public class BadInputException(string message, Exception? inner = null)
    : RescueKitException(message, ExitCodes.BadInput, inner);

/// <summary>The host lacks a file or program; <see cref="DebianPackage"/> names what provides it.</summary>
public sealed class MissingPrerequisiteException(string what, string debianPackage, string? detail = null)
    : RescueKitException(
        $"{what} is missing{(detail is null ? "" : $" ({detail})")}: install it with 'apt-get install {debianPackage}'",
        ExitCodes.MissingPrerequisite)
{
    public string What { get; } = what;
    public string DebianPackage { get; } = debianPackage;
}
