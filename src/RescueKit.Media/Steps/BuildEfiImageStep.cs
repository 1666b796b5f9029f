using RescueKit.Formats.Fat;

namespace RescueKit.Media.Steps;

/// <summary>Builds BOOTX64.EFI with grub-mkimage and the FAT image the UEFI El Torito entry points at; a USB ESP gets the same files.</summary>
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
        var efi = Path.Combine(work, "BOOTX64.EFI");
        context.Runner.Run(
        [
            "grub-mkimage", "--format=x86_64-efi", "--directory=" + context.BootFiles!.GrubEfiModules,
            "--prefix=/boot/grub", "--config=" + early, "--output=" + efi,
            .. BootFiles.GrubModules,
        ], cancellationToken: cancellationToken);

        // The USB writer puts the same files on the stick's ESP (UsbEspImage), so the two media boot UEFI alike.
        context.EfiFiles["EFI/BOOT/BOOTX64.EFI"] = efi;
        var fat = new FatImageBuilder(EfiVolumeLabel, VolumeId(context), context.Config.Timestamp.UtcDateTime);
        foreach (var (path, host) in context.EfiFiles) fat.AddFile(path, host);
        var image = Path.Combine(work, "efiboot.img");
        using (var output = new FileStream(image, FileMode.Create, FileAccess.Write))
            fat.WriteTo(output);
        context.Log.Information("EFI image: {Size:N0} bytes, {Type}", new FileInfo(image).Length, fat.PlannedType);
        context.EfiImagePath = image;
        context.EfiApplicationPath = efi;
    }

    // Derived from the build time so two builds of the same inputs match byte for byte.
    private static uint VolumeId(BuildContext context) => (uint)context.EpochSeconds;
}
