using RescueKit.Backup.Archive;
using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Restore.Modes;

namespace RescueKit.Restore.Tests.Modes;

/// <summary>`restore --files-only` and a set of a filesystem the host did not mount (a second ESP): it has no place
/// in a tree of the host's root, so it is left out of "every set", restored alone into the directory, and refused
/// beside other sets.</summary>
public class FilesOnlyUnmountedSetTests
{
    private string _dir = null!;
    private BackupSet _backup = null!;

    [SetUp]
    public void WriteBackup()
    {
        _dir = Directory.CreateTempSubdirectory("rk-files-esp-").FullName;
        var data = Directory.CreateDirectory(Path.Combine(_dir, "data")).FullName;
        File.WriteAllText(Path.Combine(data, "hello.txt"), "hello\n");
        var esp = Directory.CreateDirectory(Path.Combine(_dir, "esp", "EFI")).FullName;
        File.WriteAllText(Path.Combine(esp, "grubx64.efi"), "grub");
        _backup = new BackupSetWriter(Serilog.Core.Logger.None).Write(new BackupRequest
        {
            Target = Path.Combine(_dir, "backups"),
            Host = "h",
            Started = DateTimeOffset.UtcNow,
            Filesystems =
            [
                new SourceFilesystem("srv", data, "/dev/vda3", "ext4", null),
                // As BackupJob hands it to the writer: mounted for the while at a directory of its own.
                new SourceFilesystem("esp-vdb2", Path.Combine(_dir, "esp"), "/dev/vdb2", "vfat", "AAAA-0002", Unmounted: true),
            ],
            Compression = SetCompression.Choose(SetCompression.Zstd, null),
            LayoutJson = "{}",
            ToolVersion = "test",
            RecordSize = 64 << 10,
        }, new NukeRestoreTests.Quiet(), CancellationToken.None);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private IReadOnlyList<(FilesystemSet Set, string Directory, long Members)> Restore(string to, params string[] sets) =>
        FilesOnlyRestore.Run(_backup, sets, to, null, new ExtractOptions(), Serilog.Core.Logger.None, CancellationToken.None);

    [Test]
    public void EverySet_LeavesTheUnmountedOneOut()
    {
        var to = Path.Combine(_dir, "all");

        var restored = Restore(to);

        Assert.That(restored.Select(r => r.Set.Name), Is.EqualTo(new[] { "srv" }));
        Assert.That(File.Exists(Path.Combine(to, "EFI", "grubx64.efi")), Is.False, "the ESP's files are not strewn into the root");
        Assert.That(_backup.Set("esp-vdb2").MountPoint, Is.Empty);
    }

    [Test]
    public void TheUnmountedSetAlone_GoesIntoTheDirectory()
    {
        var to = Path.Combine(_dir, "esp-restored");

        Restore(to, "esp-vdb2");

        Assert.That(File.ReadAllText(Path.Combine(to, "EFI", "grubx64.efi")), Is.EqualTo("grub"));
    }

    [Test]
    public void TheUnmountedSetBesideOthers_IsRefused_BeforeAnythingIsWritten()
    {
        var to = Path.Combine(_dir, "both");

        Assert.That(() => Restore(to, "srv", "esp-vdb2"),
            Throws.InstanceOf<BadInputException>().With.Message.Contains("esp-vdb2 (vfat on /dev/vdb2) was not mounted on the host"));
        Assert.That(Directory.Exists(to), Is.False);
    }

}
