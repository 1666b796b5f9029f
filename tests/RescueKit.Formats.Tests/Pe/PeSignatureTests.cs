using NUnit.Framework;
using RescueKit.Formats.Pe;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Pe;

/// <summary>
/// The signature count read from the PE certificate table agrees with sbverify (sbsigntool) on the host's kernel and
/// Debian's signed and unsigned EFI binaries; a file that is not PE is refused.
/// </summary>
[Category("Oracle")]
public class PeSignatureTests
{
    private static IEnumerable<string> Images() =>
    [
        InstalledKernel.ImagePath,
        "/usr/lib/shim/shimx64.efi.signed",
        "/usr/lib/shim/shimx64.efi",
        "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed",
    ];

    [TestCaseSource(nameof(Images))]
    public void CountAgreesWithSbverify(string image)
    {
        if (!File.Exists(image)) Assert.Fail($"{image} not found: apt-get install shim-signed grub-efi-amd64-signed linux-image-amd64");
        var result = ExternalTool.Run("sbverify", "sbsigntool", ["--list", image]);
        // sbverify --list prints "signature N" per signature and "No signature table present" for none.
        var expected = result.Stdout.Split('\n').Count(l => l.StartsWith("signature ", StringComparison.Ordinal));
        Assert.That(expected > 0 || (result.Stdout + result.Stderr).Contains("No signature table present"), Is.True, result.Stdout + result.Stderr);

        Assert.That(PeSignature.Count(image), Is.EqualTo(expected));
    }

    [Test]
    public void DebianSignedShimAndUnsignedShimDiffer()
    {
        Assert.That(PeSignature.Count("/usr/lib/shim/shimx64.efi.signed"), Is.GreaterThan(0));
        Assert.That(PeSignature.Count("/usr/lib/shim/shimx64.efi"), Is.Zero);
    }

    [Test]
    public void NotAPeImage_IsRefused()
    {
        using var elf = new MemoryStream(File.ReadAllBytes("/bin/true"));
        Assert.Throws<InvalidDataException>(() => PeSignature.Count(elf));
        using var tiny = new MemoryStream("MZ"u8.ToArray());
        Assert.Throws<InvalidDataException>(() => PeSignature.Count(tiny));
    }

    [Test]
    public void CertificateTablePastTheEnd_IsRefused()
    {
        var bytes = File.ReadAllBytes("/usr/lib/shim/shimx64.efi.signed");
        using var truncated = new MemoryStream(bytes, 0, bytes.Length - 16);
        Assert.Throws<InvalidDataException>(() => PeSignature.Count(truncated));
    }
}
