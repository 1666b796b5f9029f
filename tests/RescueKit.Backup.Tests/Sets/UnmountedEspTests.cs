using RescueKit.Backup.Sets;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using RescueKit.Host;

namespace RescueKit.Backup.Tests.Sets;

/// <summary>
/// An ESP the host does not mount (the second disk's, kept beside the one on /boot/efi) is a set of its own: chosen
/// from the layout, mounted read-only by the backup only while it is archived, recorded without a mount point.
/// </summary>
public class UnmountedEspTests
{
    private const string Esp = PartitionInfo.EfiSystemType;

    private static HostLayout Layout() => new()
    {
        ToolVersion = "test",
        CapturedAt = DateTimeOffset.UnixEpoch,
        HostName = "h",
        Disks =
        [
            Disk("/dev/vda", ("/dev/vda2", Esp), ("/dev/vda3", "0FC63DAF-8483-4772-8E79-3D69D8477DE4")),
            Disk("/dev/vdb", ("/dev/vdb2", Esp.ToLowerInvariant()), ("/dev/vdb3", "0FC63DAF-8483-4772-8E79-3D69D8477DE4")),
        ],
        Filesystems =
        [
            new FilesystemInfo { Device = "/dev/vda2", Type = "vfat", MountPoint = "/boot/efi", Uuid = "AAAA-0001" },
            new FilesystemInfo { Device = "/dev/vdb2", Type = "vfat", Uuid = "AAAA-0002" },
            // Not an ESP: a data filesystem someone does not mount is not the backup's to archive.
            new FilesystemInfo { Device = "/dev/vdb3", Type = "vfat", Uuid = "AAAA-0003" },
        ],
    };

    private static DiskInfo Disk(string path, params (string Device, string Type)[] partitions) => new()
    {
        Path = path,
        Size = 1L << 30,
        TableType = "gpt",
        Partitions = partitions.Select((p, i) => new PartitionInfo { Number = i + 2, Device = p.Device, Start = 2048, SizeSectors = 2048, Type = p.Type }).ToList(),
    };

    [Test]
    public void OnlyTheUnmountedEsp_IsChosen_NamedByItsDevice()
    {
        var chosen = FilesystemSelection.UnmountedEsps(Layout(), ["root", "boot-efi"]).Single();

        Assert.That(chosen, Is.EqualTo(new SourceFilesystem("esp-vdb2", "", "/dev/vdb2", "vfat", "AAAA-0002", Unmounted: true)));
        Assert.That(FilesystemSelection.UnmountedEsps(Layout(), ["esp-vdb2"]).Single().Name, Is.EqualTo("esp-vdb2-2"), "a name already taken");
    }

    [Test]
    public void TheJob_MountsItReadOnly_ForTheWrite_AndRecordsItWithoutAMountPoint()
    {
        using var scratch = new BackupScratch();
        scratch.Write("etc/hello.txt", "hello\n"u8.ToArray());
        var esp = Directory.CreateDirectory(Path.Combine(scratch.Directory, "esp-content", "EFI", "debian")).FullName;
        File.WriteAllText(Path.Combine(esp, "grubx64.efi"), "grub");
        var runner = new MountByCopy(Path.Combine(scratch.Directory, "esp-content"));
        var request = scratch.Request() with
        {
            Filesystems = [.. scratch.Request().Filesystems, new SourceFilesystem("esp-vdb2", "", "/dev/vdb2", "vfat", "AAAA-0002", Unmounted: true)],
        };

        var (backup, _) = new BackupJob(request, null, null).Run(runner, Serilog.Core.Logger.None, write => write(new BackupScratch.NoProgress()), CancellationToken.None);

        var set = backup.Set("esp-vdb2");
        Assert.That((set.MountPoint, set.Unmounted, set.Device, set.EntryCount), Is.EqualTo(("", true, "/dev/vdb2", 4L)), "/, EFI, EFI/debian, grubx64.efi");
        Assert.That(backup.Set("data").Unmounted, Is.False);
        var mount = runner.Ran.Single(r => r[0] == "mount");
        Assert.That(mount.Take(5), Is.EqualTo(new[] { "mount", "-t", "vfat", "-o", "ro" }));
        Assert.That(mount[5], Is.EqualTo("/dev/vdb2"));
        Assert.That(runner.Ran.Any(r => r[0] == "umount" && r[1] == mount[6]), "unmounted after the write");
        Assert.That(Directory.Exists(mount[6]), Is.False, "its private mount point is removed");
        Assert.That(backup.Manifest.Warnings, Is.Empty);
    }

    [Test]
    public void AnEspThatCannotBeMounted_IsLeftOutWithAWarning_AndTheRestIsBackedUp()
    {
        using var scratch = new BackupScratch();
        scratch.Write("etc/hello.txt", "hello\n"u8.ToArray());
        var runner = new MountByCopy(null);
        var request = scratch.Request() with
        {
            Filesystems = [.. scratch.Request().Filesystems, new SourceFilesystem("esp-vdb2", "", "/dev/vdb2", "vfat", "AAAA-0002", Unmounted: true)],
        };

        var (backup, _) = new BackupJob(request, null, null).Run(runner, Serilog.Core.Logger.None, write => write(new BackupScratch.NoProgress()), CancellationToken.None);

        Assert.That(backup.Manifest.Sets.Select(s => s.Name), Is.EqualTo(new[] { "data" }));
        var warning = backup.Manifest.Warnings.Single();
        Assert.That((warning.Set, warning.Path), Is.EqualTo(("esp-vdb2", "/dev/vdb2")));
        Assert.That(warning.Message, Does.Contain("could not be mounted"));
        Assert.That(runner.Ran.Where(r => r[0] == "umount"), Is.Empty, "nothing was mounted");
    }

    /// <summary>Plays mount by copying a prepared tree into the mount point (null: mount fails), umount by emptying it.</summary>
    private sealed class MountByCopy(string? content) : IToolRunner
    {
        public List<IReadOnlyList<string>> Ran { get; } = [];

        public ToolResult Run(IReadOnlyList<string> argv, IReadOnlyCollection<int>? allowedExitCodes = null, string? workingDirectory = null,
            CancellationToken cancellationToken = default, string? standardInput = null, TimeSpan? timeout = null, Action<string>? standardOutputLine = null)
        {
            Ran.Add(argv);
            if (argv[0] == "mount")
            {
                if (content is null) throw new ToolFailedException(new ToolResult(argv, 32, "", "mount: wrong fs type, bad option, bad superblock"));
                RescueKit.Tests.Shared.ExternalTool.RunOk("cp", "coreutils", ["-a", content + "/.", argv[^1]]);
            }
            if (argv[0] == "umount")
                foreach (var entry in Directory.EnumerateFileSystemEntries(argv[^1]))
                    if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true); else File.Delete(entry);
            return new ToolResult(argv, 0, "", "");
        }

        public string? Find(string program) => "/usr/bin/" + program;
    }

}
