using RescueKit.Formats.Pe;

namespace RescueKit.Media.Steps;

/// <summary>
/// Checks the host has ISOLINUX and GRUB EFI before any long work starts, and picks the UEFI boot path: Debian's signed
/// shim and GRUB when the host has them and its kernel is signed (the medium then boots with Secure Boot enforcing),
/// else GRUB built here, unsigned, with one warning that names what is missing.
/// </summary>
internal sealed class LocateBootFilesStep : IBuildStep
{
    public string Title => "Checking boot loader files";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        context.BootFiles = BootFiles.Locate(context.Config.HostRoot);
        var why = SecureBootUnavailable(context, out var files);
        context.SecureBootFiles = files;
        if (why is null)
        {
            context.Log.Information("UEFI boot through Debian's signed shim and GRUB (Secure Boot)");
            return;
        }
        var note = $"the medium will not boot with Secure Boot enabled: {why}";
        context.Log.Warning("{Note}", note);
        context.Notes.Add(note);
    }

    /// <summary>Why the medium cannot boot under Secure Boot (null: it can, with <paramref name="files"/>): the signed
    /// boot loaders are missing, or the host's kernel is not signed. The PXE tree asks the same.</summary>
    internal static string? SecureBootUnavailable(BuildContext context, out SecureBootFiles? files)
    {
        files = null;
        if (!context.Config.SecureBoot) return "--secure-boot off";
        var (found, missing) = SecureBootFiles.Locate(context.Config.HostRoot);
        if (found is null) return $"Debian's signed boot loader is missing: install it with 'apt-get install {missing}'";
        var kernel = context.Kernel!.ImagePath;
        int signatures;
        try { signatures = PeSignature.Count(kernel); }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return $"the kernel {kernel} is not an EFI (PE) image ({e.Message}): install a Debian kernel (linux-image-amd64)";
        }
        if (signatures == 0) return $"the kernel {kernel} is not signed: install Debian's signed kernel (linux-image-amd64)";
        files = found;
        return null;
    }
}
