using RescueKit.Core;

namespace RescueKit.Cli.Tests;

/// <summary>Bad input: one clear line naming the problem and the fix, a distinct exit code, and no output left behind.</summary>
public class BadInputTests
{
    private string _out = null!;

    [SetUp]
    public void CreateOutputDirectory() => _out = Directory.CreateTempSubdirectory("rk-cli-test-").FullName;

    [TearDown]
    public void RemoveOutputDirectory() => Directory.Delete(_out, recursive: true);

    internal static void AssertOneLineError(Rescuekit.Result r, int exitCode, params string[] mentions)
    {
        Assert.That(r.ExitCode, Is.EqualTo(exitCode), r.Stderr);
        var errorLines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("rescuekit: error:")).ToList();
        Assert.That(errorLines, Has.Count.EqualTo(1), r.Stderr);
        foreach (var m in mentions) Assert.That(errorLines[0], Does.Contain(m));
    }

    [Test]
    public void AnInvalidLabel_IsRefusedBeforeAnyWork()
    {
        var r = Rescuekit.Run("mkrescue", "--output", "iso", "--out", _out, "--label", "my-label");

        AssertOneLineError(r, ExitCodes.BadInput, "--label 'my-label'", "A-Z");
        Assert.That(Directory.EnumerateFileSystemEntries(_out), Is.Empty);
    }

    [Test]
    public void AMalformedSerialConsole_IsRefused()
    {
        var r = Rescuekit.Run("mkrescue", "--output", "iso", "--out", _out, "--serial-console", "com1");

        AssertOneLineError(r, ExitCodes.BadInput, "--serial-console 'com1'", "ttyS0,115200");
    }

    [Test]
    public void AnUnknownSecureBootChoice_IsRefused_AndWritesNothing()
    {
        var r = Rescuekit.Run("mkrescue", "--output", "iso", "--out", _out, "--secure-boot", "on");

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("'on'").And.Contain("'auto'").And.Contain("'off'"));
        Assert.That(Directory.EnumerateFileSystemEntries(_out), Is.Empty);
    }

    [Test]
    public void AKernelThatIsNotInstalled_NamesItsPackage_AndWritesNothing()
    {
        var r = Rescuekit.Run("mkrescue", "--output", "iso", "--out", _out, "--kernel", "9.9.9-nope");

        AssertOneLineError(r, ExitCodes.MissingPrerequisite, "vmlinuz-9.9.9-nope", "apt-get install linux-image-9.9.9-nope");
        Assert.That(Directory.EnumerateFileSystemEntries(_out), Is.Empty);
    }

    [Test]
    public void AnUnknownOutputKind_IsAUsageError()
    {
        var r = Rescuekit.Run("mkrescue", "--output", "floppy", "--out", _out);

        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(r.Stderr + r.Stdout, Does.Contain("floppy"));
    }

    [Test]
    public void BadSourceDateEpoch_IsRefused()
    {
        var r = Rescuekit.RunWith(new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "yesterday" },
            "mkiso", _out, "--out", Path.Combine(_out, "x.iso"));

        AssertOneLineError(r, ExitCodes.BadInput, "SOURCE_DATE_EPOCH 'yesterday'");
        Assert.That(File.Exists(Path.Combine(_out, "x.iso")), Is.False);
    }

    [Test]
    public void MkisoOfAMissingDirectory_IsRefused()
    {
        var r = Rescuekit.Run("mkiso", Path.Combine(_out, "nope"), "--out", Path.Combine(_out, "x.iso"));

        AssertOneLineError(r, ExitCodes.BadInput, "nope", "does not exist");
        Assert.That(File.Exists(Path.Combine(_out, "x.iso")), Is.False);
    }

    [Test]
    public void MkisoHybridWithoutABiosBootImage_IsRefused()
    {
        Directory.CreateDirectory(Path.Combine(_out, "tree"));
        var r = Rescuekit.Run("mkiso", Path.Combine(_out, "tree"), "--out", Path.Combine(_out, "x.iso"), "--hybrid");

        AssertOneLineError(r, ExitCodes.BadInput, "--hybrid needs --bios-boot");
        Assert.That(File.Exists(Path.Combine(_out, "x.iso")), Is.False);
    }

    [Test]
    public void MkisoBootImageOutsideTheTree_IsRefused()
    {
        Directory.CreateDirectory(Path.Combine(_out, "tree"));
        var r = Rescuekit.Run("mkiso", Path.Combine(_out, "tree"), "--out", Path.Combine(_out, "x.iso"), "--bios-boot", "/etc/hostname");

        AssertOneLineError(r, ExitCodes.BadInput, "--bios-boot /etc/hostname", "inside");
    }
}
