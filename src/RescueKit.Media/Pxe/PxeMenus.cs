using System.Text;

namespace RescueKit.Media.Pxe;

/// <summary>
/// The boot loader configurations of a PXE tree, made from the host manifests alone (docs/pxe.md): per host and MAC for
/// pxelinux (pxelinux.cfg/01-MAC) and GRUB (grub/grub.cfg-01-MAC), the default menus of every host plus local boot,
/// and the host's iPXE script. Paths are relative to the tree root, which is the TFTP root and the HTTP document root.
/// </summary>
internal static class PxeMenus
{
    /// <summary>The modes each host's menu offers (DESIGN §5 rk.mode), the first the default.</summary>
    public static readonly (string Mode, string Title)[] Modes =
    [
        ("interactive", "interactive restore"),
        ("nuke", "nuke: automatic restore (overwrites the disks in the plan)"),
        ("compare", "compare the backup with the disks"),
        ("expert", "expert: shell with the rescue tools"),
        ("selftest", "self-test of the rescue system, then power off"),
    ];

    /// <summary>Where a host's files are, from the tree root.</summary>
    public static string HostDirectory(string host) => $"{PxeTree.HostsDirectory}/{host}";

    private const string Header = "# Written by rescuekit (docs/pxe.md) from rescuekit/*/manifest.json; regenerated whenever a host is added or removed.\n";

    // pxelinux: SERIAL must be the first directive; ttyS0 at 115200 like the kernel's console= default. IPAPPEND 2
    // appends BOOTIF=01-<MAC of the NIC that booted>, which 30-network brings up.
    private const string PxelinuxPreamble = "SERIAL 0 115200\nCONSOLE 1\nUI menu.c32\nPROMPT 0\n";

    /// <summary>pxelinux.cfg/01-MAC: the host's modes, interactive after 1 s, and local boot.</summary>
    public static string PxelinuxHost(PxeHostManifest host)
    {
        var sb = new StringBuilder(Header).Append(PxelinuxPreamble);
        sb.Append($"TIMEOUT 10\nDEFAULT {host.Host}-{Modes[0].Mode}\nMENU TITLE RescueKit rescue system of {host.Host}\n");
        foreach (var (mode, title) in Modes) PxelinuxEntry(sb, host, mode, title);
        PxelinuxLocal(sb);
        return sb.ToString();
    }

    /// <summary>pxelinux.cfg/default, for a machine whose MAC has no file: every host's interactive entry, and local
    /// boot, the default after 5 s (an unknown machine is not taken into a rescue system by itself).</summary>
    public static string PxelinuxDefault(IReadOnlyList<PxeHostManifest> hosts)
    {
        var sb = new StringBuilder(Header).Append(PxelinuxPreamble);
        sb.Append("TIMEOUT 50\nDEFAULT local\nMENU TITLE RescueKit: choose the host to rescue\n");
        foreach (var host in hosts) PxelinuxEntry(sb, host, Modes[0].Mode, Modes[0].Title);
        PxelinuxLocal(sb);
        return sb.ToString();
    }

    private static void PxelinuxEntry(StringBuilder sb, PxeHostManifest host, string mode, string title)
    {
        var dir = HostDirectory(host.Host);
        sb.Append($"\nLABEL {host.Host}-{mode}\n  MENU LABEL {host.Host}: {title}\n")
          .Append($"  KERNEL {dir}/{PxeTree.KernelFile}\n  INITRD {dir}/{PxeTree.InitrdFile}\n")
          .Append($"  APPEND {host.CommandLine} rk.mode={mode}\n  IPAPPEND 2\n");
    }

    private static void PxelinuxLocal(StringBuilder sb) =>
        sb.Append("\nLABEL local\n  MENU LABEL Boot from the local disk\n  LOCALBOOT 0\n");

    private const string GrubPreamble =
        "serial --unit=0 --speed=115200\nterminal_input console serial\nterminal_output console serial\n";

    /// <summary>
    /// The start of grub/grub.cfg: the NIC GRUB booted on (net_default_mac, or the first EFI NIC's) that is a MAC of
    /// the tree gets its host's menu. The unsigned image finds grub.cfg-01-MAC by its own search before it reads this
    /// file; Debian's signed network GRUB reads this file straight away (seen in the Secure Boot boot test: a config of
    /// its x86_64-efi directory is not read), and it carries no module it could load for more than a plain
    /// comparison. A MAC with no file of its own falls through to the menu of every host.
    /// </summary>
    private static void GrubMacDispatch(StringBuilder sb, IReadOnlyList<PxeHostManifest> hosts)
    {
        foreach (var mac in hosts.SelectMany(h => h.Macs).Distinct(StringComparer.Ordinal))
        {
            var colons = mac.Replace('-', ':');
            sb.Append($"if [ \"$net_default_mac\" = \"{colons}\" -o \"$net_efinet0_mac\" = \"{colons}\" ]; then configfile \"$prefix/grub.cfg-{PxeMac.FileKey(mac)}\"; fi\n");
        }
    }

    /// <summary>grub/grub.cfg-01-MAC: the host's modes with BOOTIF of this MAC (GRUB has no IPAPPEND), and local boot.</summary>
    public static string GrubHost(PxeHostManifest host, string mac)
    {
        var sb = new StringBuilder(Header).Append(GrubPreamble).Append("set timeout=1\nset default=interactive\n");
        foreach (var (mode, title) in Modes) GrubEntry(sb, host, mode, title, mode, PxeMac.FileKey(mac));
        GrubLocal(sb);
        return sb.ToString();
    }

    /// <summary>grub/grub.cfg, for a MAC with no file: every host, BOOTIF from the NIC GRUB booted on, local boot by default.</summary>
    public static string GrubDefault(IReadOnlyList<PxeHostManifest> hosts)
    {
        var sb = new StringBuilder(Header).Append(GrubPreamble);
        GrubMacDispatch(sb, hosts);
        sb.Append("set timeout=5\nset default=local\n");
        foreach (var host in hosts) GrubEntry(sb, host, Modes[0].Mode, Modes[0].Title, host.Host, "01-${net_default_mac}");
        GrubLocal(sb);
        return sb.ToString();
    }

    private static void GrubEntry(StringBuilder sb, PxeHostManifest host, string mode, string title, string id, string bootIf)
    {
        var dir = HostDirectory(host.Host);
        sb.Append($"\nmenuentry \"RescueKit {host.Host}: {title}\" --id {id} {{\n")
          .Append($"\tlinux /{dir}/{PxeTree.KernelFile} {host.CommandLine} rk.mode={mode} BOOTIF={bootIf}\n")
          .Append($"\tinitrd /{dir}/{PxeTree.InitrdFile}\n}}\n");
    }

    // exit hands back to the firmware, which tries its next boot option (the disk).
    private static void GrubLocal(StringBuilder sb) =>
        sb.Append("\nmenuentry \"Boot from the local disk\" --id local {\n\texit\n}\n");

    /// <summary>
    /// rescuekit/HOST/boot.ipxe: kernel and initrd over HTTP from <paramref name="httpUrl"/>. iPXE passes the MAC of
    /// the NIC it booted on (netX, the last one opened) as BOOTIF; initrd= names the initrd for the EFI stub (ipxe.efi).
    /// </summary>
    public static string Ipxe(string host, string commandLine, string httpUrl)
    {
        var dir = $"{httpUrl.TrimEnd('/')}/{HostDirectory(host)}";
        return "#!ipxe\n" + Header +
               $"echo RescueKit: booting the rescue system of {host} on ${{netX/mac}}\n" +
               $"kernel {dir}/{PxeTree.KernelFile} {commandLine} rk.mode=interactive BOOTIF=01-${{netX/mac:hexhyp}} initrd={PxeTree.InitrdFile}\n" +
               $"initrd {dir}/{PxeTree.InitrdFile}\n" +
               "boot\n";
    }
}
