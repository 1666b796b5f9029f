namespace RescueKit.Discovery;

/// <summary>The spelling rules kmod applies to module names and aliases.</summary>
internal static class ModuleNames
{
    /// <summary>A module's name as the kernel knows it: "-" and "_" are the same character in module names
    /// (kmod's modname_normalize), so "md-mod" and "md_mod" are one module.</summary>
    public static string Canonical(string name) => name.Replace('-', '_');

    /// <summary>The module name of a path from modules.dep: "kernel/drivers/md/dm-mod.ko.xz" is "dm_mod".</summary>
    public static string FromPath(string path)
    {
        var file = Path.GetFileName(path);
        return Canonical(ModuleFiles.CompressionOf(file) is null ? file : ModuleFiles.WithoutSuffix(file));
    }

    /// <summary>An alias with "-" turned into "_" outside bracket expressions, as kmod's alias_normalize does, so
    /// "platform:leds-gpio" finds the pattern however either side was spelled.</summary>
    public static string NormalizeAlias(string alias)
    {
        var chars = alias.ToCharArray();
        var inBrackets = false;
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '[') inBrackets = true;
            else if (chars[i] == ']') inBrackets = false;
            else if (chars[i] == '-' && !inBrackets) chars[i] = '_';
        }
        return new string(chars);
    }

    public static bool IsPattern(string alias) => alias.AsSpan().IndexOfAny("*?[") >= 0;
}
