namespace RescueKit.Media.Steps;

/// <summary>Checks the host has ISOLINUX and GRUB EFI before any long work starts.</summary>
internal sealed class LocateBootFilesStep : IBuildStep
{
    public string Title => "Checking boot loader files";

    public void Run(BuildContext context, CancellationToken cancellationToken)
        => context.BootFiles = BootFiles.Locate(context.Config.HostRoot);
}
