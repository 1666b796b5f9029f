using RescueKit.Media.Pxe;

namespace RescueKit.Media.Steps;

/// <summary>
/// Builds the GRUB network image for the tree and adds this host to it (<see cref="PxeTree.Install"/>): kernel, initrd,
/// manifest, iPXE script, the per-MAC files and the regenerated menus.
/// </summary>
public sealed class WritePxeTreeStep(PxeRequest request) : IBuildStep
{
    public string Title => "Adding the host to the PXE tree";

    /// <summary>The manifest written, once the step has run.</summary>
    public PxeHostManifest? Written { get; private set; }

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        var boot = context.PxeBootFiles!;
        var tree = new PxeTree(config.OutputDirectory);
        // The image is the tree's, not the host's: without --tftp-server, keep the server it was built for.
        var tftpServer = request.TftpServer ?? tree.RecordedTftpServer();
        var image = Path.Combine(context.WorkDirectory, PxeTree.GrubImage);
        context.Runner.Run(
        [
            "grub-mkimage", "--format=x86_64-efi", "--directory=" + boot.GrubEfiModules,
            "--prefix=" + GrubPrefix(tftpServer), "--output=" + image,
            .. PxeBootFiles.GrubNetModules,
        ], cancellationToken: cancellationToken);
        if (tftpServer is null)
            context.Notes.Add("the GRUB image loads its menus from the DHCP server's next-server: under proxyDHCP give --tftp-server ADDR (or --http-url)");
        if (request.HttpUrl is null)
            context.Notes.Add("no --http-url: iPXE scripts (rescuekit/HOST/boot.ipxe) were not written");

        var commandLine = BootMenus.KernelCommandLine(config) + (request.Source is null ? "" : $" rk.source={request.Source}");
        Written = tree.Install(new PxeHostEntry
        {
            Host = config.HostName,
            Macs = request.Macs,
            KernelImage = context.Kernel!.ImagePath,
            KernelVersion = context.Kernel.Version,
            Initrd = context.InitramfsPath!,
            CommandLine = commandLine,
            HttpUrl = request.HttpUrl,
            Tool = $"rescuekit {config.Version}",
            Built = config.Timestamp,
        }, boot, image, tftpServer, cancellationToken, context.PxeSignedUefi);
        context.Log.Information("Host {Host} in {Root}: {Macs}", config.HostName, config.OutputDirectory,
            request.Macs.Count == 0 ? "no MAC (default menu only)" : string.Join(", ", request.Macs));
    }

    /// <summary>GRUB's $prefix: where it reads grub.cfg-01-MAC and grub.cfg, on the TFTP server of the image or of DHCP.</summary>
    public static string GrubPrefix(string? tftpServer) => tftpServer is null ? "(tftp)/grub" : $"(tftp,{tftpServer})/grub";
}
