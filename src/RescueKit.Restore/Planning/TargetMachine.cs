using RescueKit.Core;
using RescueKit.Discovery.Layout;
using RescueKit.Host;
using RescueKit.Restore.Mapping;

namespace RescueKit.Restore.Planning;

/// <summary>The disks of the machine being restored: from `lsblk -J -b -O` run here, or from its saved output (a plan
/// made on another machine), with the rescue medium and the backup's medium refused.</summary>
public static class TargetMachine
{
    public static readonly string[] LsblkArgv = ["lsblk", "-J", "-b", "-O"];

    /// <summary>The devices init found the rescue system and the backup on (RK_RESCUE_MEDIA_DEV, RK_MEDIA_DEV), each
    /// with why it must not be written.</summary>
    public static Dictionary<string, string> ProtectedDevices(IReadOnlyDictionary<string, string> rescueVariables)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rescueVariables.GetValueOrDefault(RescuePaths.MediaDeviceKey) is { Length: > 0 } media) result[media] = $"the backup was found on {media}";
        if (rescueVariables.GetValueOrDefault(RescuePaths.RescueMediaDeviceKey) is { Length: > 0 } rescue) result[rescue] = $"the rescue system runs from {rescue}";
        return result;
    }

    /// <summary>The disks lsblk lists now.</summary>
    public static IReadOnlyList<TargetDisk> Live(IToolRunner runner, IReadOnlyDictionary<string, string> protectedDevices)
        => TargetDisk.From(Lsblk.Parse(runner.Run(LsblkArgv).StandardOutput), protectedDevices);

    /// <summary>The disks of a saved `lsblk -J -b -O` output.</summary>
    /// <exception cref="BadInputException">The file is missing or is not lsblk's JSON.</exception>
    public static IReadOnlyList<TargetDisk> FromFile(string path, IReadOnlyDictionary<string, string> protectedDevices)
    {
        if (!File.Exists(path)) throw new BadInputException($"the disk list '{path}' does not exist (it is the output of 'lsblk -J -b -O' on the machine to restore)");
        try
        {
            return TargetDisk.From(Lsblk.Parse(File.ReadAllText(path)), protectedDevices);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"'{path}' is not the output of 'lsblk -J -b -O': {e.Message}", e);
        }
    }
}
