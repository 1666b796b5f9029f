namespace RescueKit.Restore.Discs;

/// <summary>The machine's optical drives as a disc series needs them; tests model each disc as a directory.</summary>
public interface IDiscDrives
{
    /// <summary>The drives (/dev/sr0, /dev/sr1, ...), in name order.</summary>
    IReadOnlyList<string> Drives();

    /// <summary>
    /// The root of the disc in <paramref name="drive"/>, mounted read-only (a mount already there is used as it is);
    /// null when it holds no readable disc. <paramref name="wait"/>: a disc just inserted gets time to spin up.
    /// </summary>
    string? Open(string drive, bool wait);

    /// <summary>Where <see cref="Open"/> mounts a disc that was not mounted: the same directory whatever disc it is.</summary>
    string MountPoint(string drive);

    /// <summary>Unmounts the disc in <paramref name="drive"/> wherever it is mounted and opens the tray, so that the disc
    /// can be changed.</summary>
    void Release(string drive);
}
