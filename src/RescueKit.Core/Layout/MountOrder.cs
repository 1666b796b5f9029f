namespace RescueKit.Core.Layout;

/// <summary>
/// Mount-point order: / first, then by depth, then by name (/, /boot, /home, /boot/efi), so that each mount point's
/// directory exists, or can be made, inside the filesystem it sits in. What a restore mounts and extracts in.
/// </summary>
public static class MountOrder
{
    public static IOrderedEnumerable<T> InMountOrder<T>(this IEnumerable<T> items, Func<T, string> mountPoint) =>
        items.OrderBy(i => mountPoint(i) == "/" ? 0 : mountPoint(i).Count(c => c == '/'))
            .ThenBy(mountPoint, StringComparer.Ordinal);
}
