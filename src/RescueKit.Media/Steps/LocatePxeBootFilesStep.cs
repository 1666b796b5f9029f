using RescueKit.Media.Pxe;

namespace RescueKit.Media.Steps;

/// <summary>
/// Checks the host has pxelinux, the syslinux modules, iPXE and GRUB EFI before any long work starts, and whether the
/// tree gets the signed UEFI path (shim and Debian's signed network GRUB, docs/pxe.md): when the host has them and its
/// kernel is signed, else one note naming what is missing and the unsigned path only.
/// </summary>
internal sealed class LocatePxeBootFilesStep : IBuildStep
{
    public string Title => "Checking network boot loader files";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        context.PxeBootFiles = PxeBootFiles.Locate(context.Config.HostRoot);
        var why = LocateBootFilesStep.SecureBootUnavailable(context, out var files);
        var netGrub = Path.Combine(context.Config.HostRoot, SecureBootFiles.SignedNetGrub.TrimStart('/'));
        if (why is null && !File.Exists(netGrub))
            why = "Debian's signed network GRUB (grubnetx64.efi.signed) is missing: install it with 'apt-get install grub-efi-amd64-signed'";
        if (why is null)
        {
            context.PxeSignedUefi = new PxeSignedUefi(files!.Shim, netGrub);
            context.Log.Information("UEFI network boot also through Debian's signed shim and GRUB (Secure Boot)");
            return;
        }
        var note = $"the tree has no Secure Boot path for UEFI clients: {why}";
        context.Log.Warning("{Note}", note);
        context.Notes.Add(note);
    }
}
