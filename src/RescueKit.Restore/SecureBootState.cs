namespace RescueKit.Restore;

/// <summary>
/// The Secure Boot state of the running rescue system, as the firmware and the kernel report it: the SecureBoot and
/// SetupMode variables of the EFI global-variable namespace (UEFI 2.10 §3.3 "Globally Defined Variables": SecureBoot 1 =
/// enforcing, SetupMode 1 = no platform key enrolled, so nothing is enforced and any key may be enrolled) read through
/// efivarfs, whose files start with the 4-byte attributes before the data, and the kernel's lockdown mode
/// (/sys/kernel/security/lockdown: "none [integrity] confidentiality", the bracketed one in force). /init mounts both.
/// </summary>
public sealed record SecureBootState(bool Uefi, bool? Enabled, string? Lockdown, bool SetupMode = false)
{
    /// <summary>Where efivarfs is mounted, under the root.</summary>
    public const string EfivarsDirectory = "sys/firmware/efi/efivars";

    /// <summary>EFI_GLOBAL_VARIABLE's GUID, as efivarfs names the variables.</summary>
    private const string GlobalGuid = "8be4df61-93ca-11d2-aa0d-00e098032b8c";

    public const string VariableFile = EfivarsDirectory + "/SecureBoot-" + GlobalGuid;
    public const string SetupModeFile = EfivarsDirectory + "/SetupMode-" + GlobalGuid;
    private const string LockdownFile = "sys/kernel/security/lockdown";

    /// <summary>The state of <paramref name="environment"/>: its root's, or its own efivars directory's when it has one.</summary>
    public static SecureBootState Of(RescueEnvironment environment) => Read(environment.Root, environment.Efivars);

    /// <summary>
    /// The state under <paramref name="root"/>; <paramref name="efivars"/>, when given, is the efivarfs directory to
    /// read instead of the root's (a staged one), and its absence means a BIOS boot.
    /// </summary>
    public static SecureBootState Read(string root = "/", string? efivars = null)
    {
        var uefi = efivars is null ? Directory.Exists(Path.Combine(root, "sys/firmware/efi")) : Directory.Exists(efivars);
        var variables = efivars ?? Path.Combine(root, EfivarsDirectory);
        var enabled = Flag(Path.Combine(variables, Path.GetFileName(VariableFile)));
        var setupMode = Flag(Path.Combine(variables, Path.GetFileName(SetupModeFile))) == true;
        string? lockdown = null;
        var lockdownPath = Path.Combine(root, LockdownFile);
        if (File.Exists(lockdownPath))
        {
            var text = File.ReadAllText(lockdownPath);
            var open = text.IndexOf('[');
            var close = text.IndexOf(']', open + 1);
            if (open >= 0 && close > open) lockdown = text[(open + 1)..close];
        }
        return new SecureBootState(uefi, enabled, lockdown, setupMode);
    }

    /// <summary>A one-byte boolean variable after its attributes; null when efivarfs has no such file.</summary>
    private static bool? Flag(string file)
    {
        if (!File.Exists(file)) return null;
        var bytes = File.ReadAllBytes(file);
        return bytes.Length >= 5 ? bytes[4] == 1 : null;
    }

    /// <summary>"Secure Boot: on, kernel lockdown: integrity", "Secure Boot: setup mode (...)", "Secure Boot: not UEFI (BIOS boot), ...".</summary>
    public string Describe()
    {
        var state = !Uefi ? "not UEFI (BIOS boot)"
            : SetupMode && Enabled != true ? "setup mode (off: no platform key enrolled)"
            : Enabled switch
            {
                true => "on",
                false => "off",
                null => $"unknown (no /{VariableFile}: is efivarfs mounted?)",
            };
        return $"Secure Boot: {state}" + (Lockdown is null ? "" : $", kernel lockdown: {Lockdown}");
    }
}
