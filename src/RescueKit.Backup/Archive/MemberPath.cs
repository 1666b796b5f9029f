using RescueKit.Host.Native;
using RescueKit.Core;

namespace RescueKit.Backup.Archive;

/// <summary>
/// The components of an archive member's path, checked so that no member can name a place outside the target root
/// (DESIGN §2 "restore refuses paths that escape the target root"): an absolute path or a ".." component is refused;
/// "." and empty components ("a//b", "./a", "a/") are dropped. No components at all means the root itself.
/// </summary>
internal static class MemberPath
{
    /// <param name="what">What <paramref name="path"/> is of <paramref name="member"/>, for the message: "path" or
    /// "hard link target".</param>
    public static List<byte[]> Split(ReadOnlySpan<byte> path, ReadOnlySpan<byte> member, string what, string targetRoot)
    {
        if (path.IsEmpty) throw Refused(member, $"has an empty {what}", targetRoot);
        if (path[0] == (byte)'/') throw Refused(member, $"has an absolute {what}", targetRoot);
        var components = new List<byte[]>();
        foreach (var range in path.Split((byte)'/'))
        {
            var component = path[range];
            if (component.IsEmpty || component.SequenceEqual("."u8)) continue;
            if (component.SequenceEqual(".."u8)) throw Refused(member, $"has a '..' in its {what}", targetRoot);
            components.Add(component.ToArray());
        }
        return components;
    }

    /// <summary>The one error of a member that would escape the root or be written through something that is not
    /// a directory of it: nothing of that member was written.</summary>
    public static MemberRefusedException Refused(ReadOnlySpan<byte> member, string reason, string targetRoot)
        => new($"archive member '{NativeIOException.Display(member)}' {reason}: refused, nothing of it was written and " +
            $"nothing outside the restore target '{targetRoot}' (the archive is damaged or was tampered with)");
}

/// <summary>An archive member that would land outside the restore target (DESIGN §2): extraction skips it and reports it.</summary>
internal sealed class MemberRefusedException(string message) : BadInputException(message);
