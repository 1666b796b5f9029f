using RescueKit.Host;
using RescueKit.Core;
using RescueKit.Core.Backup;
using Serilog;

namespace RescueKit.Restore.Discs;

/// <summary>
/// The drivers and firmware kept on the rescue disc (docs/mkrescue.md "Modules on the medium"), copied into memory
/// before that disc leaves its drive: the restore still loads modules after it (a filesystem's, device-mapper's), and
/// their links point into <see cref="RescuePaths.RescueMediaMount"/>. Copied only when they fit with room to spare;
/// otherwise the disc must stay, and the restore stops before any write.
/// </summary>
internal static class RescueMediaInMemory
{
    /// <summary>What the copy must leave free in memory for the restore itself.</summary>
    private const long Reserve = 256L << 20;

    public static void Keep(IToolRunner runner, ILogger log)
    {
        var kept = Path.Combine(RescuePaths.RescueMediaMount, "rescuekit");
        var size = Directory.Exists(kept) ? Directory.EnumerateFiles(kept, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
        var available = Math.Min(MemAvailable(), new DriveInfo(RescuePaths.RunDirectory).AvailableFreeSpace);
        if (size + Reserve > available)
            throw new RescueKitException(
                $"the drivers kept on the rescue disc ({ByteSize.Format(size)}) do not fit in memory ({ByteSize.Format(available)} free, " +
                $"{ByteSize.Format(Reserve)} of it kept for the restore), and taking the disc out would lose them: put the other discs " +
                "in drives of their own, or copy backup/ of every disc into one directory and restore from it", ExitCodes.BadInput);
        var copy = RescuePaths.RescueMediaMount + ".ram";
        if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
        if (Directory.Exists(kept)) Copy(kept, Path.Combine(copy, "rescuekit"));
        runner.Run(["umount", RescuePaths.RescueMediaMount]);
        // The mount point was an empty directory of /run: the copy takes its place, so every link into it still resolves.
        Directory.Delete(RescuePaths.RescueMediaMount);
        Directory.Move(copy, RescuePaths.RescueMediaMount);
        log.Information("The drivers kept on the rescue disc ({Size} bytes) are now read from memory", size);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link) File.CreateSymbolicLink(target, link);
            else if (entry is DirectoryInfo) Copy(entry.FullName, target);
            else File.Copy(entry.FullName, target);
        }
    }

    private static long MemAvailable()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) << 10;
    }
}
