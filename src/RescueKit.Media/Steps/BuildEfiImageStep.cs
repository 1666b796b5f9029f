using RescueKit.Formats.Fat;

namespace RescueKit.Media.Steps;

/// <summary>
/// Puts the UEFI boot files together — Debian's signed shim, MOK manager and GRUB with the config GRUB looks for, or an
/// unsigned BOOTX64.EFI built with grub-mkimage — and writes the FAT image the UEFI El Torito entry points at; a USB stick's ESP gets the same files (EspFiles).
/// </summary>
internal sealed class BuildEfiImageStep : IBuildStep
{
    /// <summary>The FAT volume label; distinct from the ISO label so GRUB's search by label finds the ISO tree, not this.</summary>
    public const string EfiVolumeLabel = "RK_EFI";

    public string Title => "Building the UEFI boot image";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var work = context.WorkDirectory;
        var early = Path.Combine(work, "grub-early.cfg");
        File.WriteAllText(early, BootMenus.GrubEarly(context.Config));
        if (context.SecureBootFiles is { } signed)
        {
            // Shim, as the removable-media loader, starts grubx64.efi beside it; signed GRUB reads $prefix/grub.cfg with
            // its built-in prefix /EFI/debian (SecureBootFiles). The files go in as Debian signed them: any change breaks
            // the signature.
            context.EspFiles[SecureBootFiles.ShimOnEsp] = signed.Shim;
            context.EspFiles[SecureBootFiles.GrubOnEsp] = signed.SignedGrub;
            context.EspFiles[SecureBootFiles.MokManagerOnEsp] = signed.MokManager;
            context.EspFiles[SecureBootFiles.GrubConfigOnEsp] = early;
        }
        else
        {
            var efi = Path.Combine(work, "BOOTX64.EFI");
            context.Runner.Run(
            [
                "grub-mkimage", "--format=x86_64-efi", "--directory=" + context.BootFiles!.GrubEfiModules,
                "--prefix=/boot/grub", "--config=" + early, "--output=" + efi,
                .. BootFiles.GrubModules,
            ], cancellationToken: cancellationToken);
            context.EspFiles[SecureBootFiles.ShimOnEsp] = efi;
        }

        var fat = new FatImageBuilder(EfiVolumeLabel, VolumeId(context), context.Config.Timestamp.UtcDateTime);
        foreach (var (path, file) in context.EspFiles)
            fat.AddFile(path, file);
        var image = Path.Combine(work, "efiboot.img");
        using (var output = new FileStream(image, FileMode.Create, FileAccess.Write))
            fat.WriteTo(output);
        context.Log.Information("EFI image: {Size:N0} bytes, {Type}", new FileInfo(image).Length, fat.PlannedType);
        context.EfiImagePath = image;
    }

    // Derived from the build time so two builds of the same inputs match byte for byte.
    private static uint VolumeId(BuildContext context) => (uint)context.EpochSeconds;
}
