namespace RescueKit.Core.Layout;

/// <summary>One /etc/fstab line, fields named as fstab(5) names them.</summary>
public sealed record FstabEntry(string Spec, string File, string VfsType, string MntOps, int Freq, int PassNo);
