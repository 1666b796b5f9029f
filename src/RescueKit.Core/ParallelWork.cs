using System.Runtime.ExceptionServices;

namespace RescueKit.Core;

/// <summary>Work spread over the cores whose failure reads like the same work done in a loop: the first exception
/// (a <see cref="RescueKitException"/> with its exit code, an <see cref="InvalidDataException"/>) is thrown as it is,
/// not inside an <see cref="AggregateException"/>.</summary>
public static class ParallelWork
{
    /// <summary><paramref name="map"/> of every item, in the items' order.</summary>
    public static TResult[] Map<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> map,
        CancellationToken cancellationToken = default)
    {
        var results = new TResult[items.Count];
        try
        {
            Parallel.For(0, items.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => results[i] = map(items[i]));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return results;
    }
}
