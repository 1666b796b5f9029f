namespace RescueKit.Net.Dhcp;

/// <summary>
/// Which boot file a PXE client gets, by its architecture (RFC 4578 §2.1 option 93) and whether it is iPXE
/// (docs/serve.md, the table of clients): BIOS (0) pxelinux over TFTP, x64 UEFI (7, 9) the GRUB network image over TFTP,
/// x64 UEFI HTTP boot (16) that image's http:// URL, and an iPXE client whose MAC belongs to a host with a boot.ipxe
/// that script's URL (the other iPXE clients boot as their architecture does: the default menus).
/// </summary>
public static class ProxyDhcpBootPolicy
{
    public const ushort BiosX86 = 0;
    public const ushort EfiX64 = 7;
    public const ushort EfiBc = 9;
    public const ushort EfiX64Http = 16;

    public static ProxyDhcpBootChoice Choose(PxeClientRequest client, ProxyDhcpSettings settings)
    {
        if (client.Architecture is not { } arch) return ProxyDhcpBootChoice.None("no client architecture (option 93)");
        if (client.IsIpxe && settings.IpxeScript(client.Mac) is { } script)
        {
            if (settings.HttpPort != 0) return ProxyDhcpBootChoice.Boot(Url(script, settings), "iPXE, its host's script");
            // Without HTTP the script's kernel and initrd URLs cannot load; the default menus still can.
        }
        return arch switch
        {
            BiosX86 or EfiX64 or EfiBc when client.IsHttpClient => ProxyDhcpBootChoice.None($"HTTPClient with PXE architecture {arch}"),
            BiosX86 => Tftp(settings.BiosFile, client.IsIpxe ? "iPXE BIOS, no host script: the default menu" : "BIOS", settings),
            EfiX64 or EfiBc => Tftp(settings.UefiFile, client.IsIpxe ? "iPXE x64 UEFI, no host script: the default menu" : "x64 UEFI", settings),
            EfiX64Http => settings.HttpPort == 0
                ? ProxyDhcpBootChoice.None("x64 UEFI HTTP boot needs the HTTP server, which is off")
                : ProxyDhcpBootChoice.Boot(Url(settings.UefiFile, settings), "x64 UEFI HTTP boot"),
            _ => ProxyDhcpBootChoice.None($"no boot file for architecture {arch} (only 0 BIOS, 7/9 x64 UEFI, 16 x64 UEFI HTTP are served)"),
        };
    }

    private static ProxyDhcpBootChoice Tftp(string file, string reason, ProxyDhcpSettings settings) =>
        settings.Tftp ? ProxyDhcpBootChoice.Boot(file, reason) : ProxyDhcpBootChoice.None($"{reason} boots over TFTP, which is off");

    private static string Url(string path, ProxyDhcpSettings settings) =>
        $"http://{settings.Address}:{settings.HttpPort}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}";
}
