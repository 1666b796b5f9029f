using RescueKit.Core;

namespace RescueKit.Restore.Modes;

/// <summary>The plan makes LUKS containers and there is no passphrase for them and no one to ask (an unattended
/// restore). Nothing was written; a front-end words how its user gives one.</summary>
public sealed class LuksPassphraseNeededException(IReadOnlyList<string> containers)
    : RescueKitException($"the layout has LUKS containers ({string.Join(", ", containers)}) and an unattended restore has no one to ask for their passphrase; no disk was touched",
        ExitCodes.BadInput)
{
    public IReadOnlyList<string> Containers { get; } = containers;
}
