using RescueKit.Core;

namespace RescueKit.Discovery;

/// <summary>A program or library names a shared library (DT_NEEDED) that the dynamic loader would not find either:
/// the host installation is incomplete.</summary>
internal sealed class LibraryNotFoundException(string library, string neededBy, IEnumerable<string> searched)
    : RescueKitException(
        $"{library}, needed by {neededBy}, was not found (searched {string.Join(", ", searched)}): " +
        $"reinstall the package that provides {neededBy} ('dpkg -S {neededBy}' names it)",
        ExitCodes.MissingPrerequisite)
{
    public string Library { get; } = library;
    public string NeededBy { get; } = neededBy;
}
