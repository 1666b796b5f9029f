using RescueKit.Media.Pxe;

namespace RescueKit.Media.Steps;

/// <summary>Checks the host has pxelinux, the syslinux modules, iPXE and GRUB EFI before any long work starts.</summary>
internal sealed class LocatePxeBootFilesStep : IBuildStep
{
    public string Title => "Checking network boot loader files";

    public void Run(BuildContext context, CancellationToken cancellationToken)
        => context.PxeBootFiles = PxeBootFiles.Locate(context.Config.HostRoot);
}
