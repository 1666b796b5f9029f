using RescueKit.Core;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>
/// `rescuekit mount-target` and `unmount-target` on this machine, with a backup's layout of a loop-mounted ext4: the
/// filesystem is found by its UUID (not by the device name the layout recorded) and mounted read-only under --root;
/// unmount-target undoes it; a layout whose filesystem is on no disk here, and a missing layout, are refused.
/// </summary>
public class TargetMountTests
{
    [Test]
    public void MountTarget_FindsTheFilesystemByUuid_ReadOnly_AndUnmountTargetUndoesIt()
    {
        using var scratch = new BackupScratch("64M");
        scratch.Source.Shell("printf 'on the disk\\n' > marker");
        var backup = BackupScratch.BackupDirectory(scratch.Backup());
        var layout = Path.Combine(backup, "layout.json");
        // The machine's filesystem is not mounted now, as on a machine booted from the rescue medium.
        ExternalTool.RunOk("umount", "mount", [scratch.Source.MountPoint]);
        var root = scratch.NewDirectory("target");

        var mounted = Rescuekit.Run("mount-target", "--layout", layout, "--root", root, "--read-only");
        try
        {
            Assert.That(mounted.ExitCode, Is.EqualTo(ExitCodes.Ok), mounted.Stderr);
            var at = Path.Join(root, scratch.Source.MountPoint);
            Assert.That(mounted.Stdout, Does.Contain($"Mounted {scratch.Source.Device} ({scratch.Source.MountPoint}) on {at}"));
            Assert.That(File.ReadAllText(Path.Combine(at, "marker")), Is.EqualTo("on the disk\n"));
            Assert.That(File.ReadAllLines("/proc/mounts").Single(l => l.Split(' ')[1] == at).Split(' ')[3], Does.StartWith("ro"));
        }
        finally
        {
            var unmounted = Rescuekit.Run("unmount-target", "--root", root);
            Assert.That(unmounted.ExitCode, Is.EqualTo(ExitCodes.Ok), unmounted.Stderr);
            Assert.That(unmounted.Stdout, Does.Contain("Unmounted "));
        }
        Assert.That(File.ReadAllLines("/proc/mounts").Where(l => l.Split(' ')[1].StartsWith(root, StringComparison.Ordinal)), Is.Empty);
        // Remount where LoopFilesystem's Dispose expects it.
        ExternalTool.RunOk("mount", "mount", [scratch.Source.Device, scratch.Source.MountPoint]);
    }

    [Test]
    public void AFilesystemOnNoDiskHere_IsRefused_NamingItsUuid()
    {
        var dir = Directory.CreateTempSubdirectory("rk-mount-target-").FullName;
        try
        {
            var layout = Path.Combine(dir, "layout.json");
            File.WriteAllText(layout, """
                {"formatVersion":1,"toolVersion":"test","hostName":"gone","capturedAt":"2026-12-01T00:00:00Z","disks":[],
                 "filesystems":[{"device":"/dev/sdz1","type":"ext4","uuid":"0b0e0f0a-1111-2222-3333-444455556666","mountPoint":"/"}]}
                """);

            var r = Rescuekit.Run("mount-target", "--layout", layout, "--root", Path.Combine(dir, "target"));

            BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "the filesystem of / (UUID 0b0e0f0a-1111-2222-3333-444455556666", "is on no disk here");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void AMissingLayout_IsRefused()
    {
        var r = Rescuekit.Run("mount-target", "--layout", "/nonexistent/layout.json", "--root", "/nonexistent/target");

        BadInputTests.AssertOneLineError(r, ExitCodes.BadInput, "the layout /nonexistent/layout.json does not exist");
    }
}
