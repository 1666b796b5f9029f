using RescueKit.Media.Rootfs;

namespace RescueKit.Media.Steps;

/// <summary>Writes the rescue tree as a compressed newc initramfs.</summary>
internal sealed class PackInitramfsStep : IBuildStep
{
    public string Title => "Packing the initramfs";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var path = Path.Combine(context.WorkDirectory, "initrd.img");
        using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            InitramfsWriter.Write(context.Rootfs, output, context.Config.Compression, context.EpochSeconds);
        context.Log.Information("Initramfs: {Entries} entries, {Size:N0} bytes ({Compression})",
            context.Rootfs.Count, new FileInfo(path).Length, context.Config.Compression);
        context.InitramfsPath = path;
    }
}
