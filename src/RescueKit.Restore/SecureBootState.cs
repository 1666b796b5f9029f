namespace RescueKit.Restore;

/// <summary>
/// The Secure Boot state of the running rescue system, as the firmware and the kernel report it: the SecureBoot
/// variable of the EFI global-variable namespace (UEFI 2.10 §3.3 "Globally Defined Variables", 1 = enforcing) read
/// through efivarfs, whose files start with the 4-byte attributes before the data, and the kernel's lockdown mode
/// (/sys/kernel/security/lockdown: "none [integrity] confidentiality", the bracketed one in force). /init mounts both.
/// </summary>
public sealed record SecureBootState(bool Uefi, bool? Enabled, string? Lockdown)
{
    /// <summary>EFI_GLOBAL_VARIABLE's GUID, as efivarfs names the variable.</summary>
    public const string VariableFile = "sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";
    private const string LockdownFile = "sys/kernel/security/lockdown";

    public static SecureBootState Read(string root = "/")
    {
        var uefi = Directory.Exists(Path.Combine(root, "sys/firmware/efi"));
        bool? enabled = null;
        var variable = Path.Combine(root, VariableFile);
        if (File.Exists(variable))
        {
            var bytes = File.ReadAllBytes(variable);
            if (bytes.Length >= 5) enabled = bytes[4] == 1;
        }
        string? lockdown = null;
        var lockdownPath = Path.Combine(root, LockdownFile);
        if (File.Exists(lockdownPath))
        {
            var text = File.ReadAllText(lockdownPath);
            var open = text.IndexOf('[');
            var close = text.IndexOf(']', open + 1);
            if (open >= 0 && close > open) lockdown = text[(open + 1)..close];
        }
        return new SecureBootState(uefi, enabled, lockdown);
    }

    /// <summary>"Secure Boot: on, kernel lockdown: integrity", "Secure Boot: off, kernel lockdown: none", "Secure Boot: none (BIOS boot), ...".</summary>
    public string Describe()
    {
        var state = !Uefi ? "none (BIOS boot)"
            : Enabled switch
            {
                true => "on",
                false => "off",
                null => $"unknown (no /{VariableFile}: is efivarfs mounted?)",
            };
        return $"Secure Boot: {state}" + (Lockdown is null ? "" : $", kernel lockdown: {Lockdown}");
    }
}
