using System.Collections.Immutable;
using Loyalty.Core.Members;
using static Loyalty.Core.Tests.Seeds;

namespace Loyalty.Core.Tests;

/// <summary>
/// Production builds a book from the state and only the records it read from storage; the book's own replay rule must
/// decide there as it does on a book that has every record.
/// </summary>
public class StoredRecordTests
{
    private static readonly Programs.ProgramCatalog Catalog = Seeds.Catalog(Till());

    [Fact]
    public void A_book_holding_only_the_stored_record_replays_the_operation_with_its_first_outcome()
    {
        var receipt = Purchase("r1", At(2026, 3, 1), Line(10_000m));
        var first = Enrol(Catalog.Latest).Apply(receipt, Catalog);
        var read = new MemberBook(first.Book.State, ImmutableDictionary<string, OperationRecord>.Empty.Add("r1", first.Book.Records["r1"]));

        var again = read.Apply(receipt, Catalog);

        Assert.True(again.Replayed);
        Assert.Same(first.Transition.Outcome, again.Transition.Outcome);
        Assert.Same(read, again.Book);
        Assert.Empty(again.Transition.Ledger);
        Assert.Null(again.Recorded);
        Assert.Equal(first.Transition.Outcome, read.Replayed("r1")?.Transition.Outcome);
        Assert.Null(new MemberBook(first.Book.State).Replayed("r1"));
    }

    [Fact]
    public void A_return_names_the_purchase_record_it_changed_so_the_write_can_store_it()
    {
        var purchase = Purchase("r1", At(2026, 3, 1), Line(1_000m, sku: "cat"), Line(500m, sku: "ball"));
        var bought = Enrol(Catalog.Latest).Apply(purchase, Catalog);
        var read = new MemberBook(bought.Book.State, ImmutableDictionary<string, OperationRecord>.Empty.Add("r1", bought.Book.Records["r1"]));

        var returned = read.Apply(Return("x1", "r1", At(2026, 3, 2), Line(-500m, sku: "ball", quantity: -1)), Catalog);

        Assert.Equal("x1", returned.Recorded?.Id);
        var updated = Assert.Single(returned.Updated);
        Assert.Same(returned.Book.Records["r1"], updated);
        Assert.Equal(1m, updated.Purchase!.Returned.Sum());
    }
}
