using RescueKit.Discovery;
using RescueKit.Formats.Pe;
using RescueKit.Host;
using RescueKit.Media.Steps;
using RescueKit.Tests.Shared;

namespace RescueKit.Media.Tests;

/// <summary>
/// The UEFI boot path LocateBootFilesStep picks and BuildEfiImageStep writes, on a host tree made of this machine's
/// Debian boot files (make deps-test installs shim-signed and grub-efi-amd64-signed): the signed chain where every piece
/// is there, the unsigned GRUB with one note naming the missing piece otherwise. The FAT image is read back with mtools.
/// </summary>
[Category("Oracle")]
public class SecureBootPathTests
{
    private static readonly string[] HostPieces =
    [
        "usr/lib/ISOLINUX", "usr/lib/syslinux", "usr/lib/grub/x86_64-efi", "usr/lib/shim", "usr/lib/grub/x86_64-efi-signed",
    ];

    /// <summary>A host root linking to this machine's boot files, less <paramref name="without"/>.</summary>
    private static TempDirectory HostRoot(params string[] without)
    {
        var host = new TempDirectory();
        foreach (var piece in HostPieces.Except(without))
        {
            var real = "/" + piece;
            if (!Directory.Exists(real)) Assert.Fail($"{real} not found: apt-get install isolinux syslinux-common grub-efi-amd64-bin shim-signed grub-efi-amd64-signed");
            var link = host.Combine(piece);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            Directory.CreateSymbolicLink(link, real);
        }
        return host;
    }

    private static BuildContext Build(TempDirectory host, TempDirectory work, string kernel, bool secureBoot = true)
    {
        var config = new RescueConfig
        {
            OutputDirectory = work.Combine("out"),
            HostName = "testhost",
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            RescueBinary = "/bin/true",
            Version = "0.0.0",
            HostRoot = host.Path,
            Label = "RKTEST",
            SecureBoot = secureBoot,
        };
        var context = new BuildContext(config, new ToolRunner(Serilog.Core.Logger.None), Serilog.Core.Logger.None, work.Path)
        {
            Kernel = new KernelImage("6.1.0-99-amd64", kernel, "/nonexistent", IsRunningKernel: false, Note: null),
        };
        new LocateBootFilesStep().Run(context, CancellationToken.None);
        new BuildEfiImageStep().Run(context, CancellationToken.None);
        return context;
    }

    /// <summary>Every file in the FAT image, as mtools lists it (mdir -/ -b: one full path a line).</summary>
    private static string[] FatListing(string image) =>
        ExternalTool.RunOk("mdir", "mtools", ["-i", image, "-/", "-b", "::"]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static byte[] FatFile(string image, string path, TempDirectory work)
    {
        var copy = work.Combine("copied-" + Path.GetFileName(path));
        ExternalTool.RunOk("mcopy", "mtools", ["-n", "-i", image, "::" + path, copy]);
        return File.ReadAllBytes(copy);
    }

    [Test]
    public void SignedChain_ShimLoadsSignedGrub_WhichFindsItsConfigUnderEfiDebian()
    {
        using var host = HostRoot();
        using var work = new TempDirectory();

        var context = Build(host, work, InstalledKernel.ImagePath);

        Assert.That(context.Notes, Is.Empty);
        var image = context.EfiImagePath!;
        Assert.That(FatListing(image), Is.SupersetOf(new[]
        {
            "::/EFI/BOOT/BOOTX64.EFI", "::/EFI/BOOT/grubx64.efi", "::/EFI/BOOT/mmx64.efi", "::/EFI/debian/grub.cfg",
        }));
        Assert.That(FatFile(image, "/EFI/BOOT/BOOTX64.EFI", work), Is.EqualTo(File.ReadAllBytes("/usr/lib/shim/shimx64.efi.signed")));
        Assert.That(FatFile(image, "/EFI/BOOT/grubx64.efi", work), Is.EqualTo(File.ReadAllBytes("/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed")));
        Assert.That(FatFile(image, "/EFI/BOOT/mmx64.efi", work), Is.EqualTo(File.ReadAllBytes("/usr/lib/shim/mmx64.efi.signed")));
        var config = System.Text.Encoding.UTF8.GetString(FatFile(image, "/EFI/debian/grub.cfg", work));
        Assert.That(config, Does.Contain("search --no-floppy --set=root --label RKTEST").And.Contain("configfile ($root)/boot/grub/grub.cfg"));
        Assert.That(context.EspFiles.Keys, Is.EquivalentTo(new[]
        {
            "EFI/BOOT/BOOTX64.EFI", "EFI/BOOT/grubx64.efi", "EFI/BOOT/mmx64.efi", "EFI/debian/grub.cfg",
        }), "the ISO tree gets the same files");
    }

    [TestCase("usr/lib/shim", "apt-get install shim-signed")]
    [TestCase("usr/lib/grub/x86_64-efi-signed", "apt-get install grub-efi-amd64-signed")]
    public void SignedPackageMissing_OneNoteNamesIt_AndTheUnsignedGrubBoots(string missing, string fix)
    {
        using var host = HostRoot(missing);
        using var work = new TempDirectory();

        var context = Build(host, work, InstalledKernel.ImagePath);

        AssertUnsignedPath(context, fix, work);
    }

    [Test]
    public void UnsignedKernel_OneNoteSaysSo_AndTheUnsignedGrubBoots()
    {
        using var host = HostRoot();
        using var work = new TempDirectory();
        // Debian's unsigned shim is a PE image with no certificate table, as an unsigned EFI-stub kernel is.
        var kernel = work.Combine("vmlinuz-unsigned");
        File.Copy("/usr/lib/shim/shimx64.efi", kernel);

        var context = Build(host, work, kernel);

        AssertUnsignedPath(context, $"the kernel {kernel} is not signed", work);
    }

    [Test]
    public void SecureBootOff_BuildsTheUnsignedGrub()
    {
        using var host = HostRoot();
        using var work = new TempDirectory();

        var context = Build(host, work, InstalledKernel.ImagePath, secureBoot: false);

        AssertUnsignedPath(context, "--secure-boot off", work);
    }

    private static void AssertUnsignedPath(BuildContext context, string noteText, TempDirectory work)
    {
        Assert.That(context.Notes, Has.Count.EqualTo(1));
        Assert.That(context.Notes[0], Does.Contain("will not boot with Secure Boot enabled").And.Contain(noteText));
        var listing = FatListing(context.EfiImagePath!);
        Assert.That(listing, Does.Contain("::/EFI/BOOT/BOOTX64.EFI"));
        Assert.That(listing, Does.Not.Contain("::/EFI/BOOT/grubx64.efi"));
        var bootx64 = work.Combine("bootx64-read-back.efi");
        File.WriteAllBytes(bootx64, FatFile(context.EfiImagePath!, "/EFI/BOOT/BOOTX64.EFI", work));
        Assert.That(PeSignature.Count(bootx64), Is.Zero, "grub-mkimage's BOOTX64.EFI is unsigned");
    }
}
