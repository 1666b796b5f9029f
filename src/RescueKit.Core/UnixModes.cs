namespace RescueKit.Core;

/// <summary>
/// Unix permission bits by name. C# has no octal literals (0755 would be decimal 755), so each is written as a binary
/// literal in groups of three, which reads as the octal digits: 0b111_101_101 is 0755.
/// </summary>
public static class UnixModes
{
    /// <summary>0755: directories and programs.</summary>
    public const int Executable = 0b111_101_101;
    /// <summary>0644: ordinary files.</summary>
    public const int File = 0b110_100_100;
    /// <summary>0600: files only root may read (shadow, consoles).</summary>
    public const int Private = 0b110_000_000;
    /// <summary>0700: directories only root may enter.</summary>
    public const int PrivateDirectory = 0b111_000_000;
    /// <summary>0666: device nodes everyone uses (/dev/null).</summary>
    public const int ReadWriteAll = 0b110_110_110;
    /// <summary>0777: what lstat reports for a symlink.</summary>
    public const int Symlink = 0b111_111_111;
    /// <summary>01777: /tmp, world-writable with the sticky bit.</summary>
    public const int StickyAll = 0b1_111_111_111;
    /// <summary>0444: files on read-only media.</summary>
    public const int ReadOnlyFile = 0b100_100_100;
    /// <summary>0555: directories on read-only media.</summary>
    public const int ReadOnlyDirectory = 0b101_101_101;
}
