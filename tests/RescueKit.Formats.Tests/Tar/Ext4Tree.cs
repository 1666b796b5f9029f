using System.Globalization;
using System.Text;
using RescueKit.Formats.Tar;
using RescueKit.Tests.Shared;

namespace RescueKit.Formats.Tests.Tar;

/// <summary>
/// An ext4 filesystem on a loop-mounted image file (user xattrs, ACLs and file capabilities all work there, unlike
/// tmpfs), the <see cref="TarSample"/> tree created in it with the standard tools (mkdir, ln, mknod, mkfifo,
/// setfattr, chown, chmod, touch), and a scan of any tree in it made with find, stat and getfattr, so trees compare
/// by what independent tools report.
/// </summary>
internal sealed class Ext4Tree : IDisposable
{
    private readonly string _image;

    public Ext4Tree()
    {
        if (Environment.UserName != "root") Assert.Fail("This oracle test needs root (loop mount, chown, mknod, security.capability): run it as root.");
        Root = Directory.CreateTempSubdirectory("rescuekit-pax-ext4-").FullName;
        _image = Path.Combine(Root, "fs.img");
        Mount = Path.Combine(Root, "mnt");
        Directory.CreateDirectory(Mount);
        using (var f = File.Create(_image)) f.SetLength(256L << 20);
        // 4 KiB blocks: a small filesystem would get 1 KiB blocks, which limit symlink targets to 1023 bytes.
        ExternalTool.RunOk("mkfs.ext4", "e2fsprogs", ["-q", "-F", "-b", "4096", "-O", "^has_journal", _image]);
        ExternalTool.RunOk("mount", "mount", ["-o", "loop", _image, Mount]);
    }

    public string Root { get; }

    /// <summary>Where the ext4 filesystem is mounted.</summary>
    public string Mount { get; }

    public void Dispose()
    {
        ExternalTool.Run("umount", "mount", [Mount]);
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Creates the members under <paramref name="dir"/> (which must not exist) with shell tools.</summary>
    public void Create(string dir, IReadOnlyList<TarSample.Member> members)
    {
        foreach (var tool in new[] { ("setfattr", "attr"), ("mknod", "coreutils"), ("mkfifo", "coreutils"), ("touch", "coreutils") })
            ExternalTool.Require(tool.Item1, tool.Item2);
        var staging = Path.Combine(Root, "staging-" + Path.GetFileName(dir));
        Directory.CreateDirectory(staging);
        var script = new MemoryStream();
        void Line(params object[] parts)
        {
            foreach (var p in parts) script.Write(p is byte[] b ? Quote(b) : Encoding.UTF8.GetBytes((string)p));
            script.WriteByte((byte)'\n');
        }
        Line("set -e");
        Line("mkdir ", Encoding.UTF8.GetBytes(dir));
        Line("cd ", Encoding.UTF8.GetBytes(dir));
        for (int i = 0; i < members.Count; i++)
        {
            var (e, data) = (members[i].Entry, members[i].Data);
            var p = e.Path;
            switch (e.Type)
            {
                case TarEntryType.Directory:
                    if (!p.SequenceEqual("."u8.ToArray())) Line("mkdir ", p);
                    break;
                case TarEntryType.Regular when e.SparseMap is { } map:
                    Line("truncate -s ", e.Size.ToString(CultureInfo.InvariantCulture), " ", p);
                    long at = 0;
                    for (int s = 0; s < map.Count; s++)
                    {
                        var seg = Path.Combine(staging, $"{i}-{s}");
                        File.WriteAllBytes(seg, data!.AsSpan((int)at, (int)map[s].Length).ToArray());
                        at += map[s].Length;
                        Line($"dd status=none conv=notrunc bs=4096 seek={map[s].Offset / 4096} if={seg} of=", p);
                    }
                    break;
                case TarEntryType.Regular:
                    File.WriteAllBytes(Path.Combine(staging, i.ToString(CultureInfo.InvariantCulture)), data ?? []);
                    Line($"cat {Path.Combine(staging, i.ToString(CultureInfo.InvariantCulture))} > ", p);
                    break;
                case TarEntryType.Symlink:
                    Line("ln -s ", e.LinkName!, " ", p);
                    break;
                case TarEntryType.HardLink:
                    Line("ln ", e.LinkName!, " ", p);
                    continue; // the link shares the target's inode and metadata
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                    Line($"mknod -m {Convert.ToString(e.Mode, 8)} ", p, $" {(e.Type == TarEntryType.BlockDevice ? 'b' : 'c')} {e.DeviceMajor} {e.DeviceMinor}");
                    break;
                case TarEntryType.Fifo:
                    Line("mkfifo ", p);
                    break;
            }
            // Order matters: chown clears file capabilities, and an ACL sets the group bits from its mask.
            Line($"chown -h {e.Uid}:{e.Gid} ", p);
            if (e.Type != TarEntryType.Symlink) Line($"chmod {Convert.ToString(e.Mode, 8)} ", p);
            if (e.Type != TarEntryType.Directory) SetXattrs(e);
        }
        // A directory's default ACL would be inherited by what is created in it afterwards: set directories' last.
        foreach (var m in members.Where(m => m.Entry.Type == TarEntryType.Directory)) SetXattrs(m.Entry);
        void SetXattrs(TarEntry e)
        {
            foreach (var x in e.Xattrs) Line($"setfattr -h -n {x.Name} -v 0x{Convert.ToHexString(x.Value)} ", e.Path);
        }
        // Times last, deepest first, so creating children does not move a directory's mtime.
        foreach (var m in members.Where(m => m.Entry.Type != TarEntryType.HardLink).OrderByDescending(m => m.Entry.Path.Count(b => b == '/')))
            Line($"touch -h -d @{PaxMember.FormatTime(m.Entry.MtimeNanoseconds)} ", m.Entry.Path);
        var scriptFile = Path.Combine(staging, "create.sh");
        File.WriteAllBytes(scriptFile, script.ToArray());
        ExternalTool.RunOk("bash", "bash", [scriptFile], workingDirectory: Mount);
    }

    /// <summary>bash ANSI-C quoting: $'...' with every byte that is not plain ASCII as \xHH.</summary>
    private static byte[] Quote(byte[] bytes)
    {
        var sb = new StringBuilder("$'");
        foreach (var b in bytes)
            sb.Append(b is >= 0x20 and < 0x7F and not (byte)'\'' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
        return Encoding.ASCII.GetBytes(sb.Append('\'').ToString());
    }

    /// <summary>What find, stat and getfattr report for one file; <c>Names</c> lists all names of a hard-linked inode.</summary>
    public sealed record Scanned(string Path, char Type, string Mode, string Owner, long Size, long MtimeNanoseconds,
        string? Link, long Blocks, string? Device, string Xattrs, string? Names);

    /// <summary>Every file under <paramref name="dir"/>, keyed by its path relative to it ("." for itself, raw bytes as \xHH).</summary>
    public SortedDictionary<string, Scanned> Scan(string dir)
    {
        var list = Path.Combine(Root, "scan.bin");
        ExternalTool.RunOk("bash", "bash", ["-c", "find . -printf '%P\\0%y\\0%m\\0%U:%G\\0%s\\0%T@\\0%l\\0%i\\0%b\\0' > " + list], workingDirectory: dir);
        var fields = Split(File.ReadAllBytes(list));
        var devices = ParseDevices(ExternalTool.RunOk("bash", "bash", ["-c", "find . \\( -type b -o -type c \\) -printf '%P ' -exec stat -c '%t:%T' {} \\;"], workingDirectory: dir));
        // getfattr walks with "./"-prefixed paths, so it cannot reach the 4095-byte path (4097 bytes with "./",
        // over PATH_MAX) and says so on stderr; that file has no xattrs in the sample.
        var xattrs = ParseGetfattr(ExternalTool.Run(ExternalTool.Require("getfattr", "attr"), "attr",
            ["-R", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names", "."], workingDirectory: dir).Stdout);

        var result = new SortedDictionary<string, Scanned>(StringComparer.Ordinal);
        var inodes = new Dictionary<string, List<string>>();
        for (int i = 0; i + 9 <= fields.Count; i += 9)
        {
            var path = fields[i].Length == 0 ? "." : Show(fields[i]);
            var inode = Encoding.ASCII.GetString(fields[i + 7]);
            if (!inodes.TryGetValue(inode, out var names)) inodes[inode] = names = [];
            names.Add(path);
        }
        for (int i = 0; i + 9 <= fields.Count; i += 9)
        {
            var path = fields[i].Length == 0 ? "." : Show(fields[i]);
            var type = (char)fields[i + 1][0];
            var names = inodes[Encoding.ASCII.GetString(fields[i + 7])];
            result[path] = new Scanned(path, type, Encoding.ASCII.GetString(fields[i + 2]), Encoding.ASCII.GetString(fields[i + 3]),
                type == 'd' ? 0 : long.Parse(Encoding.ASCII.GetString(fields[i + 4]), CultureInfo.InvariantCulture),
                ParseFindTime(Encoding.ASCII.GetString(fields[i + 5])),
                type == 'l' ? Show(fields[i + 6]) : null,
                type == 'f' ? long.Parse(Encoding.ASCII.GetString(fields[i + 8]), CultureInfo.InvariantCulture) : 0,
                devices.GetValueOrDefault(path), xattrs.GetValueOrDefault("./" + path, xattrs.GetValueOrDefault(path, "")),
                names.Count > 1 ? string.Join(' ', names.Order(StringComparer.Ordinal)) : null);
        }
        return result;
    }

    /// <summary>Bytes as text: printable ASCII as is, anything else \xHH (the same as <see cref="ParseGetfattr"/> gives).</summary>
    public static string Show(byte[] bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes) sb.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
        return sb.ToString();
    }

    private static List<byte[]> Split(byte[] data)
    {
        var fields = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            fields.Add(data[start..i]);
            start = i + 1;
        }
        return fields;
    }

    /// <summary>find's %T@ is seconds with ten decimals: "1700000000.1234567890".</summary>
    private static long ParseFindTime(string text)
    {
        var parts = text.Split('.');
        return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1_000_000_000
               + (parts.Length > 1 ? long.Parse(parts[1].PadRight(9, '0')[..9], CultureInfo.InvariantCulture) : 0);
    }

    private static Dictionary<string, string> ParseDevices(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => string.Join(',', p[1].Split(':').Select(h => Convert.ToInt32(h, 16))));

    /// <summary>getfattr -d -e hex: "# file: NAME" then "key=0xHEX" lines; names and keys escape '=' and other bytes as \ooo.</summary>
    private static Dictionary<string, string> ParseGetfattr(string stdout)
    {
        var result = new Dictionary<string, string>();
        string? file = null;
        var attrs = new List<string>();
        void Flush()
        {
            if (file is not null) result[file] = string.Join(' ', attrs.Order(StringComparer.Ordinal));
            attrs.Clear();
        }
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# file: ", StringComparison.Ordinal))
            {
                Flush();
                file = Show(Unescape(line["# file: ".Length..]));
            }
            else if (line.IndexOf('=') is > 0 and var eq) attrs.Add(Show(Unescape(line[..eq])) + line[eq..]);
            else Assert.Fail($"getfattr: {line}");
        }
        Flush();
        return result;
    }

    private static byte[] Unescape(string text)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 3), 8));
                i += 3;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
        }
        return bytes.ToArray();
    }

    /// <summary>The sparse layout as SEEK_DATA/SEEK_HOLE report it.</summary>
    public static List<SparseSegment> DataSegments(string path)
    {
        using var handle = File.OpenHandle(path);
        int fd = (int)handle.DangerousGetHandle();
        var segments = new List<SparseSegment>();
        long size = RandomAccess.GetLength(handle), pos = 0;
        while (pos < size)
        {
            long data = lseek(fd, pos, SeekData);
            if (data < 0) break; // ENXIO: only a hole remains
            long hole = lseek(fd, data, SeekHole);
            segments.Add(new SparseSegment(data, hole - data));
            pos = hole;
        }
        return segments;
    }

    private const int SeekData = 3;
    private const int SeekHole = 4;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern long lseek(int fd, long offset, int whence);
}
