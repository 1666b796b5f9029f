using RescueKit.Tests.Shared;

namespace RescueKit.Tests.Layout;

/// <summary>
/// A GPT disk image file made with the real tools: partition 1 an ESP with vfat, partition 2 an ext4 root, each
/// filesystem made with mkfs in a file of its own and copied in at its partition's offset (the host kernel cannot scan
/// partitions of a loop device). Shared by the discovery and CLI test projects as a linked source file.
/// </summary>
internal sealed class TestDiskImage : IDisposable
{
    public const string EspVolumeId = "1A2B3C4D";
    public const string EspUuid = "1A2B-3C4D";
    public const string RootUuid = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    public const string DiskGuid = "5F2C1B8A-3D4E-4F60-9A7B-8C9D0E1F2A3B";
    public const long EspStart = 2048, EspSectors = 32768, RootStart = 34816, RootSectors = 49152;

    private readonly string _directory;

    public TestDiskImage()
    {
        _directory = Directory.CreateTempSubdirectory("rk-layout-image-").FullName;
        Path = System.IO.Path.Combine(_directory, "disk.img");
        using (var f = File.Create(Path)) f.SetLength(48L << 20);
        ExternalTool.RunOk("sfdisk", "fdisk", ["-q", Path], stdinText:
            $"label: gpt\nlabel-id: {DiskGuid}\n" +
            $"start={EspStart}, size={EspSectors}, type=uefi, name=ESP\n" +
            $"start={RootStart}, size={RootSectors}, type=linux, name=root\n");
        var esp = System.IO.Path.Combine(_directory, "esp.fs");
        var root = System.IO.Path.Combine(_directory, "root.fs");
        using (var f = File.Create(esp)) f.SetLength(EspSectors * 512);
        using (var f = File.Create(root)) f.SetLength(RootSectors * 512);
        ExternalTool.RunOk("mkfs.vfat", "dosfstools", ["-n", "ESP", "-i", EspVolumeId, esp]);
        ExternalTool.RunOk("mkfs.ext4", "e2fsprogs", ["-q", "-L", "root", "-U", RootUuid, root]);
        CopyInto(esp, EspStart);
        CopyInto(root, RootStart);
    }

    public string Path { get; }

    /// <summary>Appends partition 3 (4 MiB, Linux data) with sfdisk, as a drifted layout.</summary>
    public void AddPartition() =>
        ExternalTool.RunOk("sfdisk", "fdisk", ["-q", "--append", Path], stdinText: "size=8192, type=linux, name=added\n");

    private void CopyInto(string file, long startSector)
    {
        using var image = new FileStream(Path, FileMode.Open, FileAccess.Write);
        image.Position = startSector * 512;
        using var source = File.OpenRead(file);
        source.CopyTo(image);
        File.Delete(file);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
