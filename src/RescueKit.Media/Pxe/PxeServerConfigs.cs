using System.Text;

namespace RescueKit.Media.Pxe;

/// <summary>
/// Configurations for sites that serve a PXE tree with their own servers (`rescuekit pxe config`, docs/pxe.md):
/// dnsmasq as proxyDHCP + TFTP beside the site's DHCP server, and an nginx server block for the HTTP paths (iPXE's
/// boot.ipxe, kernels and initrds). Both are generated from the tree's manifests and tested against the real servers.
/// </summary>
public static class PxeServerConfigs
{
    /// <summary>
    /// dnsmasq (reference pxe-initramfs.md B.4, B.5): proxyDHCP on <paramref name="subnet"/> (no addresses handed out),
    /// TFTP from the tree, clients told apart by DHCP option 93 (RFC 4578 client architecture) and by iPXE's user class
    /// and option 175: BIOS PXE gets pxelinux.0, x64 UEFI PXE the GRUB network image, iPXE its host's boot.ipxe (by MAC;
    /// hosts without an iPXE script, or unknown MACs, get pxelinux). In proxy mode dnsmasq answers only through
    /// pxe-service lines, and appends ".0" to an x86PC basename.
    /// </summary>
    public static string Dnsmasq(string root, IReadOnlyList<PxeHostManifest> hosts, string subnet, string? networkInterface)
    {
        var sb = new StringBuilder();
        sb.Append($"# RescueKit PXE tree {root}: proxyDHCP + TFTP for dnsmasq (rescuekit pxe config dnsmasq; docs/pxe.md).\n")
          .Append("# The site's DHCP server keeps handing out addresses: this answers PXE and iPXE clients only, with their boot file.\n")
          .Append("port=0\n");
        if (networkInterface is not null) sb.Append($"interface={networkInterface}\nbind-interfaces\n");
        sb.Append($"dhcp-range={subnet},proxy\n")
          .Append("enable-tftp\n")
          .Append($"tftp-root={root}\n")
          // dnsmasq caps blksize at its DNS packet buffer (2263 by default, reference B.2); this lifts it.
          .Append("edns-packet-max=65535\n")
          .Append("# IPv6 router advertisements unanswered make iPXE wait ~16 s (reference B, trap a): answer them where the site does not.\n")
          .Append("# enable-ra\n")
          .Append("log-dhcp\n\n")
          .Append("# Client architecture, DHCP option 93 (RFC 4578): 0 BIOS, 7 and 9 x64 UEFI, 16 x64 UEFI HTTP Boot.\n")
          .Append("dhcp-match=set:efi64,option:client-arch,7\n")
          .Append("dhcp-match=set:efi64,option:client-arch,9\n")
          .Append("dhcp-match=set:efi64-http,option:client-arch,16\n")
          .Append("# iPXE says who it is by user class and option 175: it gets a script, not the ROM's boot file again.\n")
          .Append("dhcp-userclass=set:ipxe,iPXE\n")
          .Append("dhcp-match=set:ipxe,175\n\n");

        var scripted = hosts.Where(h => h.HttpUrl is not null && h.Macs.Count > 0).ToList();
        foreach (var host in scripted)
        {
            sb.Append($"# {host.Host}\n");
            foreach (var mac in host.Macs) sb.Append($"dhcp-host={mac.Replace('-', ':')},set:rk-{host.Host}\n");
            sb.Append($"pxe-service=tag:ipxe,tag:rk-{host.Host},x86PC,\"RescueKit {host.Host} (iPXE)\",{PxeMenus.HostDirectory(host.Host)}/{PxeTree.IpxeFile}\n")
              .Append($"pxe-service=tag:ipxe,tag:rk-{host.Host},x86-64_EFI,\"RescueKit {host.Host} (iPXE)\",{PxeMenus.HostDirectory(host.Host)}/{PxeTree.IpxeFile}\n");
        }
        if (scripted.Count > 0) sb.Append('\n');
        sb.Append("pxe-prompt=\"RescueKit\",0\n")
          .Append("pxe-service=x86PC,\"RescueKit (BIOS, pxelinux)\",pxelinux\n")
          .Append($"pxe-service=x86-64_EFI,\"RescueKit (UEFI, GRUB)\",{PxeTree.GrubImage}\n");

        var httpUrl = hosts.Select(h => h.HttpUrl).FirstOrDefault(u => u is not null);
        sb.Append("\n# UEFI HTTP Boot (option 93 = 16) takes its boot file URL in the address offer itself, so only a DHCP server that\n")
          .Append("# hands out addresses can answer it: put these lines into that server's dnsmasq configuration (reference B.4).\n");
        if (httpUrl is null)
            sb.Append("# (no host of the tree was built with --http-url, so there is no URL to give)\n");
        else
            sb.Append("# dhcp-option-force=tag:efi64-http,60,HTTPClient\n")
              .Append($"# dhcp-boot=tag:efi64-http,{httpUrl.TrimEnd('/')}/{PxeTree.GrubImage}\n");
        return sb.ToString();
    }

    /// <summary>
    /// An nginx server block serving the tree read-only on <paramref name="port"/>: no directory listing, nothing whose
    /// name starts with a dot (the lock file, a writer's staging directory), files sent with sendfile.
    /// </summary>
    public static string Nginx(string root, int port, string? listenAddress)
    {
        var listen = listenAddress is null ? $"{port}" : $"{listenAddress}:{port}";
        return $"# RescueKit PXE tree {root} over HTTP (rescuekit pxe config nginx; docs/pxe.md): include it in nginx's http block.\n" +
               "server {\n" +
               $"    listen {listen};\n" +
               "    server_name _;\n" +
               $"    root {root};\n" +
               "    autoindex off;\n" +
               "    sendfile on;\n" +
               "    tcp_nopush on;\n" +
               "    default_type application/octet-stream;\n" +
               "    types {\n        text/plain ipxe cfg;\n        application/json json;\n    }\n" +
               "    location ~ /\\. {\n        return 404;\n    }\n" +
               "    location / {\n        limit_except GET {\n            deny all;\n        }\n        try_files $uri =404;\n    }\n" +
               "}\n";
    }
}
