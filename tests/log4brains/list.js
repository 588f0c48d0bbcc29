// Lists the records of the log4brains log in the folder given (default: the
// current one) as log4brains itself reads them: one JSON object per line,
// {slug, status, title, date}. Used by tests/integration/interop.rs.
const { Log4brains } = require("@log4brains/core");

(async () => {
  const l4b = Log4brains.create(process.argv[2] || ".");
  const adrs = await l4b.searchAdrs();
  for (const adr of adrs) {
    // searchAdrs gives plain objects: the date is an ISO string (23:59:59 in
    // the log's `tz`), the status a word.
    const date = adr.publicationDate ? String(adr.publicationDate).slice(0, 10) : null;
    console.log(JSON.stringify({ slug: adr.slug, status: String(adr.status), title: adr.title, date }));
  }
})().catch((e) => {
  console.error(String((e && e.stack) || e));
  process.exit(1);
});
