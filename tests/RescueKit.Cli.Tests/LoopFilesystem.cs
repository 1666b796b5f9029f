using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// A real ext4 filesystem for backup tests: an image file, attached to a loop device and mounted, so `rescuekit backup
/// --device /dev/loopN` selects exactly it. Needs root (losetup, mount); fails the test clearly otherwise.
/// </summary>
internal sealed class LoopFilesystem : IDisposable
{
    public LoopFilesystem(string scratch, string size = "256M", string fsType = "ext4")
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Fail("backup tests need root: they attach loop devices and mount filesystems (run them as root)");
        Image = Path.Combine(scratch, "fs.img");
        MountPoint = Directory.CreateDirectory(Path.Combine(scratch, "mnt")).FullName;
        ExternalTool.RunOk("truncate", "coreutils", ["-s", size, Image]);
        ExternalTool.RunOk($"mkfs.{fsType}", fsType == "ext4" ? "e2fsprogs" : "xfsprogs", ["-q", Image]);
        Device = ExternalTool.RunOk("losetup", "mount", ["--find", "--show", Image]).Trim();
        ExternalTool.RunOk("mount", "mount", [Device, MountPoint]);
    }

    public string Image { get; }
    public string Device { get; }
    public string MountPoint { get; }

    /// <summary>The set name a backup gives this filesystem (from its mount point).</summary>
    public string SetName => MountPoint.Trim('/').Replace('/', '-');

    public string PathOf(string relative) => Path.Combine(MountPoint, relative);

    /// <summary>Runs a shell script with the mount point as the working directory.</summary>
    public void Shell(string script) => ExternalTool.RunOk("sh", "dash", ["-ec", script], workingDirectory: MountPoint);

    public void Dispose()
    {
        ExternalTool.Run("umount", "mount", [MountPoint]);
        ExternalTool.Run("losetup", "mount", ["-d", Device]);
    }
}
