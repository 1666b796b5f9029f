using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RescueKit.Core;

namespace RescueKit.Media.Pxe;

/// <summary>
/// A PXE boot tree serving many hosts (docs/pxe.md): the boot loaders at its root, each host's kernel, initrd, iPXE
/// script and manifest in rescuekit/&lt;host&gt;/, and the per-MAC and default menus made from the manifests. Every change
/// holds an flock on <see cref="LockFileName"/>; a host's directory is built beside its final name and renamed into place,
/// and each menu is written to a temporary file and renamed, so a server reading the tree meanwhile sees the old entry
/// or the new one, never half of one, and the other hosts' files are not touched.
/// </summary>
public sealed partial class PxeTree(string root)
{
    public const string HostsDirectory = "rescuekit";
    public const string LockFileName = ".rescuekit-pxe.lock";
    public const string KernelFile = "vmlinuz";
    public const string InitrdFile = "initrd.img";
    public const string IpxeFile = "boot.ipxe";
    public const string ManifestFile = "manifest.json";
    public const string PxelinuxConfigDirectory = "pxelinux.cfg";
    public const string GrubDirectory = "grub";

    /// <summary>The GRUB network image (grub-mkimage, <see cref="PxeBootFiles.GrubNetModules"/>), the UEFI clients' boot file.</summary>
    public const string GrubImage = "rk-grubx64.efi";

    /// <summary>The signed UEFI path's boot file (shim) and the signed network GRUB it loads from beside itself.</summary>
    public const string ShimFile = "shimx64.efi", SignedGrubFile = "grubx64.efi";


    /// <summary>The address the GRUB image's prefix names (grub/tftp-server), kept so a later run without
    /// --tftp-server builds the same image instead of changing it under the other hosts.</summary>
    public const string TftpServerFile = "grub/tftp-server";

    /// <summary>How long a second writer waits for the first to finish with the tree.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(5);

    private const string StagingPrefix = ".staging-";
    private const string RetiredPrefix = ".old-";

    public string Root { get; } = Path.GetFullPath(root);

    private string HostsPath => Path.Combine(Root, HostsDirectory);

    /// <summary>Refuses a host name that is not a plain file name (it names a directory and menu labels).</summary>
    public static string CheckHostName(string host, string input = "host name")
    {
        if (!HostPattern().IsMatch(host))
            throw new BadInputException($"{input} '{host}' is not usable in a PXE tree: use 1-63 letters, digits, '-' and '_', starting with a letter or digit");
        return host;
    }

    /// <summary>Creates the root when missing and proves it writable, before any long work (mkrescue checks first).</summary>
    public static void CheckWritable(string root)
    {
        var probe = Path.Combine(root, $".rescuekit-write-test-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(root);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"--root '{root}' is not a writable directory ({e.Message}): give a directory you can write to");
        }
    }

    /// <summary>The TFTP server an earlier run built the GRUB image for, or null.</summary>
    public string? RecordedTftpServer()
    {
        var path = Path.Combine(Root, TftpServerFile);
        return File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } s ? s : null : null;
    }

    /// <summary>The hosts in the tree, by name.</summary>
    public IReadOnlyList<PxeHostManifest> Hosts()
    {
        if (!Directory.Exists(HostsPath)) return [];
        return Directory.EnumerateDirectories(HostsPath)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, ManifestFile)))
            .Select(d => PxeJson.Read(Path.Combine(d, ManifestFile)))
            .OrderBy(m => m.Host, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Adds <paramref name="entry"/> (or replaces the host's earlier entry), puts the boot loaders at the root (rewritten
    /// only when they differ) and regenerates every menu. A MAC another host has is refused before anything is written.
    /// </summary>
    internal PxeHostManifest Install(PxeHostEntry entry, PxeBootFiles boot, string grubImage, string? tftpServer = null,
        CancellationToken cancellationToken = default, PxeSignedUefi? signed = null)
    {
        CheckHostName(entry.Host);
        using var held = Lock();
        foreach (var other in Hosts().Where(h => h.Host != entry.Host))
        {
            var shared = other.Macs.Intersect(entry.Macs).FirstOrDefault();
            if (shared is not null)
                throw new BadInputException($"--mac {shared.Replace('-', ':')} already belongs to host {other.Host} in {Root}: remove it first with 'rescuekit pxe remove {other.Host} --root {Root}'");
        }

        var staging = Path.Combine(HostsPath, $"{StagingPrefix}{entry.Host}-{Environment.ProcessId}");
        Directory.CreateDirectory(staging);
        try
        {
            var kernel = CopyHashed(entry.KernelImage, Path.Combine(staging, KernelFile), cancellationToken);
            var initrd = CopyHashed(entry.Initrd, Path.Combine(staging, InitrdFile), cancellationToken);
            var commandLine = $"{entry.CommandLine} rk.initrd_sha256={initrd.Sha256}";
            var files = new List<PxeFile> { kernel, initrd };
            if (entry.HttpUrl is not null)
            {
                var ipxe = Path.Combine(staging, IpxeFile);
                File.WriteAllText(ipxe, PxeMenus.Ipxe(entry.Host, commandLine, entry.HttpUrl));
                files.Add(Describe(ipxe));
            }
            var manifest = new PxeHostManifest
            {
                Tool = entry.Tool,
                Host = entry.Host,
                Built = entry.Built.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                Kernel = entry.KernelVersion,
                Macs = entry.Macs,
                CommandLine = commandLine,
                HttpUrl = entry.HttpUrl,
                Files = files,
            };
            File.WriteAllText(Path.Combine(staging, ManifestFile), PxeJson.Serialize(manifest));
            Publish(staging, Path.Combine(HostsPath, entry.Host));

            foreach (var (treePath, hostFile) in boot.TreeFiles())
                InstallFile(hostFile, Path.Combine(Root, treePath));
            InstallFile(grubImage, Path.Combine(Root, GrubImage));
            if (signed is not null)
            {
                // As Debian signed them: any change breaks the signature.
                InstallFile(signed.Shim, Path.Combine(Root, ShimFile));
                InstallFile(signed.NetGrub, Path.Combine(Root, SignedGrubFile));
            }
            Regenerate();
            if (tftpServer is not null) WriteAtomically(Path.Combine(Root, TftpServerFile), tftpServer + "\n");
            return manifest;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Removes a host's directory and its per-MAC files, and regenerates the menus.</summary>
    public PxeHostManifest Remove(string host)
    {
        CheckHostName(host, "HOST");
        using var held = Lock();
        var hosts = Hosts();
        var manifest = hosts.FirstOrDefault(h => h.Host == host)
            ?? throw new BadInputException($"no host '{host}' in the PXE tree {Root} (it has: {(hosts.Count == 0 ? "none" : string.Join(", ", hosts.Select(h => h.Host)))}): see 'rescuekit pxe list --root {Root}'");
        var retired = Path.Combine(HostsPath, $"{RetiredPrefix}{host}-{Environment.ProcessId}");
        Directory.Move(Path.Combine(HostsPath, host), retired);
        Regenerate();
        Directory.Delete(retired, recursive: true);
        return manifest;
    }

    /// <summary>
    /// Writes every menu from the manifests in the tree and deletes the per-MAC files no host claims. Called with the
    /// lock held.
    /// </summary>
    private void Regenerate()
    {
        var hosts = Hosts();
        var pxelinux = Path.Combine(Root, PxelinuxConfigDirectory);
        var grub = Path.Combine(Root, GrubDirectory);
        Directory.CreateDirectory(pxelinux);
        Directory.CreateDirectory(grub);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var host in hosts)
            foreach (var mac in host.Macs)
            {
                var key = PxeMac.FileKey(mac);
                WriteAtomically(Path.Combine(pxelinux, key), PxeMenus.PxelinuxHost(host));
                WriteAtomically(Path.Combine(grub, $"grub.cfg-{key}"), PxeMenus.GrubHost(host, mac));
                wanted.Add(Path.Combine(pxelinux, key));
                wanted.Add(Path.Combine(grub, $"grub.cfg-{key}"));
            }
        WriteAtomically(Path.Combine(pxelinux, "default"), PxeMenus.PxelinuxDefault(hosts));
        WriteAtomically(Path.Combine(grub, "grub.cfg"), PxeMenus.GrubDefault(hosts));

        foreach (var stale in Directory.EnumerateFiles(pxelinux, "01-*").Concat(Directory.EnumerateFiles(grub, "grub.cfg-01-*")))
            if (!wanted.Contains(stale)) File.Delete(stale);
    }

    /// <summary>
    /// The tree's lock: an flock(2) on <see cref="LockFileName"/> (what .NET takes for FileShare.None, also seen by
    /// flock(1)), waited for up to <see cref="LockTimeout"/>. Leftovers of a writer that died are removed under it.
    /// </summary>
    private FileStream Lock()
    {
        Directory.CreateDirectory(HostsPath);
        var path = Path.Combine(Root, LockFileName);
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                foreach (var leftover in Directory.EnumerateDirectories(HostsPath)
                             .Where(d => Path.GetFileName(d) is var n && (n.StartsWith(StagingPrefix, StringComparison.Ordinal) || n.StartsWith(RetiredPrefix, StringComparison.Ordinal))))
                    Directory.Delete(leftover, recursive: true);
                return held;
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(path))
            {
                Thread.Sleep(200);
            }
            catch (IOException e)
            {
                throw new RescueKitException($"the PXE tree {Root} is locked by another rescuekit ({path}: {e.Message}): wait for it to finish", ExitCodes.Failed, e);
            }
        }
    }

    /// <summary>
    /// Puts the finished <paramref name="staging"/> directory at <paramref name="final"/>: the old entry is renamed aside
    /// first (rename(2) cannot replace a directory that has files), then deleted.
    /// </summary>
    private static void Publish(string staging, string final)
    {
        if (!Directory.Exists(final))
        {
            Directory.Move(staging, final);
            return;
        }
        var retired = Path.Combine(Path.GetDirectoryName(final)!, $"{RetiredPrefix}{Path.GetFileName(final)}-{Environment.ProcessId}");
        Directory.Move(final, retired);
        Directory.Move(staging, final);
        Directory.Delete(retired, recursive: true);
    }

    private static PxeFile CopyHashed(string source, string target, CancellationToken cancellationToken)
    {
        using (var input = File.OpenRead(source))
        using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            input.CopyTo(output, 1 << 20);
        cancellationToken.ThrowIfCancellationRequested();
        return Describe(target);
    }

    private static PxeFile Describe(string path)
    {
        using var stream = File.OpenRead(path);
        return new PxeFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Copies a boot loader file into the tree unless it is there with the same bytes (a server may be sending it).</summary>
    private static void InstallFile(string source, string target)
    {
        var bytes = File.ReadAllBytes(source);
        if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes)) return;
        var temporary = $"{target}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true);
    }

    private static void WriteAtomically(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex HostPattern();
}
