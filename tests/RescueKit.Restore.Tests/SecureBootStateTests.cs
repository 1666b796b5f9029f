namespace RescueKit.Restore.Tests;

/// <summary>The Secure Boot state read from a staged /sys: efivarfs's SecureBoot variable (attributes, then the byte) and lockdown.</summary>
public class SecureBootStateTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("rk-sb-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private void Stage(byte? secureBoot, string? lockdown, bool uefi = true)
    {
        if (uefi) Directory.CreateDirectory(Path.Combine(_root, "sys/firmware/efi/efivars"));
        if (secureBoot is { } b)
            // EFI_VARIABLE_NON_VOLATILE|BOOTSERVICE_ACCESS|RUNTIME_ACCESS = 6, little-endian, then the value.
            File.WriteAllBytes(Path.Combine(_root, SecureBootState.VariableFile), [6, 0, 0, 0, b]);
        if (lockdown is not null)
        {
            Directory.CreateDirectory(Path.Combine(_root, "sys/kernel/security"));
            File.WriteAllText(Path.Combine(_root, "sys/kernel/security/lockdown"), lockdown);
        }
    }

    [Test]
    public void Enforcing_WithLockdownIntegrity()
    {
        Stage(1, "none [integrity] confidentiality\n");
        Assert.That(SecureBootState.Read(_root).Describe(), Is.EqualTo("Secure Boot: on, kernel lockdown: integrity"));
    }

    [Test]
    public void Disabled_LockdownNone()
    {
        Stage(0, "[none] integrity confidentiality\n");
        Assert.That(SecureBootState.Read(_root).Describe(), Is.EqualTo("Secure Boot: off, kernel lockdown: none"));
    }

    [Test]
    public void BiosBoot()
    {
        Stage(null, "[none] integrity confidentiality\n", uefi: false);
        Assert.That(SecureBootState.Read(_root).Describe(), Is.EqualTo("Secure Boot: not UEFI (BIOS boot), kernel lockdown: none"));
    }

    [Test]
    public void SetupMode_NoPlatformKey()
    {
        Stage(0, "[none] integrity confidentiality\n");
        File.WriteAllBytes(Path.Combine(_root, SecureBootState.SetupModeFile), [6, 0, 0, 0, 1]);
        var state = SecureBootState.Read(_root);
        Assert.That(state.SetupMode, Is.True);
        Assert.That(state.Describe(), Is.EqualTo("Secure Boot: setup mode (off: no platform key enrolled), kernel lockdown: none"));
    }

    [Test]
    public void AnEfivarsDirectoryOfItsOwn_IsReadInsteadOfTheRoots()
    {
        Stage(0, null);
        var own = Path.Combine(_root, "own-efivars");
        Directory.CreateDirectory(own);
        File.WriteAllBytes(Path.Combine(own, Path.GetFileName(SecureBootState.VariableFile)), [6, 0, 0, 0, 1]);
        Assert.That(SecureBootState.Read(_root, own).Describe(), Is.EqualTo("Secure Boot: on"));
        Assert.That(SecureBootState.Read(_root, Path.Combine(_root, "absent")).Describe(), Is.EqualTo("Secure Boot: not UEFI (BIOS boot)"));
    }

    [Test]
    public void UefiWithoutEfivarfs_SaysItCannotTell()
    {
        Stage(null, null);
        var state = SecureBootState.Read(_root);
        Assert.That(state.Enabled, Is.Null);
        Assert.That(state.Describe(), Does.StartWith("Secure Boot: unknown").And.Contain("efivarfs"));
    }
}
