using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Host;
using RescueKit.Restore.Modes;
using RescueKit.Restore.Tests.Planning;

namespace RescueKit.Restore.Tests.Modes;

/// <summary>
/// mount-target and compare mode's mounts, on the lab's captured layouts, with a runner that plays blkid: arrays
/// assembled and VGs activated before anything is mounted, each filesystem found by its UUID and mounted parents
/// first, read-only without journal replay; a filesystem on no disk stops it and undoes what was mounted; unmount goes
/// deepest first and leaves alone what is not under the root.
/// </summary>
public class TargetMountsTests
{
    private static HostLayout Layout(string name) => LayoutJson.Load(LayoutFixtureFiles.PathOf(name));

    [Test]
    public void Mount_AssemblesActivatesThenMountsByUuid_ParentsFirst_ReadOnlyWithoutReplay()
    {
        var layout = Layout("lvm");
        var runner = new BlkidRunner(layout.Filesystems.Where(f => f.Uuid is not null).ToDictionary(f => f.Uuid!, f => "/dev/found-" + Path.GetFileName(f.Device)));
        var root = Directory.CreateTempSubdirectory("rk-mounts-").FullName;
        try
        {
            var mounted = new TargetMounts(runner).Mount(layout, root, readOnly: true);

            Assert.That(mounted.Select(m => m.MountPoint), Is.EqualTo(TargetMounts.Mountable(layout).Select(f => f.MountPoint)));
            var mounts = runner.Ran.Where(r => r.StartsWith("mount ", StringComparison.Ordinal)).ToList();
            Assert.That(mounts, Has.Count.EqualTo(mounted.Count).And.Count.GreaterThan(0));
            var firstMount = runner.Ran.FindIndex(r => r.StartsWith("mount ", StringComparison.Ordinal));
            Assert.That(runner.Ran.FindIndex(r => r.StartsWith("lvm vgchange --activate y", StringComparison.Ordinal)), Is.InRange(0, firstMount - 1));
            var ext4 = layout.Filesystems.First(f => f.Type == "ext4" && f.MountPoint is not null);
            Assert.That(mounts, Does.Contain($"mount -t ext4 -o ro,noload /dev/found-{Path.GetFileName(ext4.Device)} {Path.Join(root, ext4.MountPoint)}"));
            Assert.That(mounts.Single(m => m.StartsWith("mount -t xfs", StringComparison.Ordinal)), Does.Contain("-o ro,norecovery "));
            Assert.That(Directory.Exists(Path.Join(root, ext4.MountPoint)), Is.True, "the mount point was made");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void TheEspKeepsItsMasks_AndWritableMountsAreRw()
    {
        var esp = Layout("gpt-esp").Filesystems.Single(f => f.Type == "vfat");
        Assert.That(TargetMounts.Options(esp, readOnly: true), Is.EqualTo("ro,fmask=0077,dmask=0077"));
        Assert.That(TargetMounts.Options(esp, readOnly: false), Is.EqualTo("rw,fmask=0077,dmask=0077"));
    }

    [Test]
    public void AFilesystemOnNoDisk_StopsIt_NamingIt_AndUndoesTheMountsBefore()
    {
        var layout = Layout("lvm");
        var order = TargetMounts.Mountable(layout);
        var runner = new BlkidRunner(new Dictionary<string, string> { [order[0].Filesystem.Uuid!] = "/dev/first" });
        var root = Directory.CreateTempSubdirectory("rk-mounts-").FullName;
        try
        {
            var e = Assert.Throws<RescueKitException>(() => new TargetMounts(runner).Mount(layout, root, readOnly: false))!;

            Assert.That(e.Message, Does.Contain($"the filesystem of {order[1].MountPoint} (UUID {order[1].Filesystem.Uuid}").And.Contain("is on no disk here"));
            Assert.That(runner.Ran.Last(), Is.EqualTo($"umount {Path.Join(root, order[0].MountPoint)}"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void BtrfsSubvolumes_AreMountedBySubvol_AtTheirOwnMountPoints()
    {
        var layout = Planning.PlanFixtures.Layout("btrfs");
        var fs = layout.Filesystems.Single();
        var runner = new BlkidRunner(new Dictionary<string, string> { [fs.Uuid!] = "/dev/found" });
        var root = Directory.CreateTempSubdirectory("rk-mounts-").FullName;
        try
        {
            new TargetMounts(runner).Mount(layout, root, readOnly: true);

            Assert.That(runner.Ran.Where(r => r.StartsWith("mount ", StringComparison.Ordinal)), Is.EqualTo(new[]
            {
                $"mount -t btrfs -o ro,subvol=/@ /dev/found {Path.Join(root, "/mnt/root")}",
                $"mount -t btrfs -o ro,subvol=/@home /dev/found {Path.Join(root, "/mnt/root/home")}",
            }));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Unmount_GoesDeepestFirst_UnderTheRootOnly()
    {
        var mounts = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(mounts,
            [
                "/dev/vg0/root /mnt/target ext4 rw 0 0",
                "proc /proc proc rw 0 0",
                "/dev/vda2 /mnt/target/boot/efi vfat rw 0 0",
                "/dev/vda1 /mnt/target/boot ext4 rw 0 0",
                "/dev/vg0/home /mnt/target/home\\040dir xfs rw 0 0",
                "/dev/sdz1 /mnt/targetother ext4 rw 0 0",
            ]);
            var runner = new BlkidRunner(new Dictionary<string, string>());

            var done = new TargetMounts(runner).Unmount("/mnt/target/", mounts);

            Assert.That(runner.Ran, Is.EqualTo(new[]
            {
                "umount /mnt/target/boot/efi", "umount /mnt/target/home dir", "umount /mnt/target/boot", "umount /mnt/target",
            }));
            Assert.That(done, Has.Count.EqualTo(4));
        }
        finally
        {
            File.Delete(mounts);
        }
    }

    /// <summary>Answers `blkid --uuid` from a table (exit 2 for an unknown UUID, as blkid does) and records every command.</summary>
    private sealed class BlkidRunner(IReadOnlyDictionary<string, string> devices) : IToolRunner
    {
        public List<string> Ran { get; } = [];

        public ToolResult Run(IReadOnlyList<string> argv, IReadOnlyCollection<int>? allowedExitCodes = null, string? workingDirectory = null,
            CancellationToken cancellationToken = default, string? standardInput = null, TimeSpan? timeout = null, Action<string>? standardOutputLine = null)
        {
            Ran.Add(string.Join(' ', argv));
            if (argv[0] != "blkid") return new ToolResult(argv, 0, "", "");
            return devices.TryGetValue(argv[2], out var device)
                ? new ToolResult(argv, 0, device + "\n", "")
                : new ToolResult(argv, 2, "", "");
        }

        public string? Find(string program) => "/usr/sbin/" + program;
    }
}
