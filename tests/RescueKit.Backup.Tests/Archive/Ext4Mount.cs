using RescueKit.Tests.Shared;

namespace RescueKit.Backup.Tests.Archive;

/// <summary>
/// A fresh ext4 filesystem on a sparse image file, loop-mounted for one test fixture (or a tmpfs, for a second
/// filesystem inside a tree). Needs root; fails the test saying so otherwise. Dispose unmounts and deletes it.
/// </summary>
internal sealed class Ext4Mount : IDisposable
{
    private static readonly string Base = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rescuekit-archive-tests");

    private readonly string? image;

    private Ext4Mount(string mountPoint, string? image)
    {
        Path = mountPoint;
        this.image = image;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Fail("these tests mount loop filesystems, make device nodes and set owners: run them as root");
    }

    public static Ext4Mount Create(string name, long sizeBytes = 1L << 30)
    {
        RequireRoot();
        var mountPoint = NewDirectory(name);
        var image = mountPoint + ".img";
        using (var file = File.Create(image)) file.SetLength(sizeBytes);
        // 256-byte inodes keep small xattrs (ACLs, capabilities) in the inode, as on an installed system.
        ExternalTool.RunOk("mkfs.ext4", "e2fsprogs", ["-q", "-F", "-I", "256", "-b", "4096", image]);
        ExternalTool.RunOk("mount", "mount", ["-o", "loop", image, mountPoint]);
        return new Ext4Mount(mountPoint, image);
    }

    /// <summary>A tmpfs mounted at <paramref name="mountPoint"/> (which must exist).</summary>
    public static Ext4Mount Tmpfs(string mountPoint)
    {
        RequireRoot();
        ExternalTool.RunOk("mount", "mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint]);
        return new Ext4Mount(mountPoint, null);
    }

    public static string NewDirectory(string name)
    {
        var path = System.IO.Path.Combine(Base, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        ExternalTool.Run("umount", "mount", [Path]);
        if (image is null) return;
        File.Delete(image);
        Directory.Delete(Path);
    }
}
