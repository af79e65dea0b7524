// Test doubles for the bodies SQLiteCpp keeps in src/Database.cpp and
// src/Exception.cpp: a "connection" held in memory that knows three statements
// (CREATE TABLE t (...), INSERT INTO t VALUES (...), DROP TABLE t), enough for
// the corpus test to check what crosses. Not SQLite.
#include "sqlitecpp.hpp"

#include <map>
#include <sstream>
#include <vector>

// The test double's connection: tables and their row counts, and the counters
// SQLite keeps per connection.
struct sqlite3 {
    std::map<std::string, int> tables;
    int64_t last_rowid = 0;
    int changes = 0;
    int total_changes = 0;
    int error_code = 0;
    std::string error_message = "not an error";
    int busy_timeout_ms = 0;
    std::string key;
};

namespace SQLite
{

const int OPEN_READONLY = 0x00000001;
const int OPEN_READWRITE = 0x00000002;
const int OPEN_CREATE = 0x00000004;
const int OPEN_URI = 0x00000040;
const int OPEN_MEMORY = 0x00000080;
const int OPEN_NOMUTEX = 0x00008000;
const int OPEN_FULLMUTEX = 0x00010000;
const int OPEN_SHAREDCACHE = 0x00020000;
const int OPEN_PRIVATECACHE = 0x00040000;
const int OPEN_NOFOLLOW = 0x01000000;
const int OK = 0;
const char* const VERSION = "3.40.1";
const int VERSION_NUMBER = 3040001;

Exception::Exception(const char* aErrorMessage, int ret) : std::runtime_error(aErrorMessage), mErrcode(ret) {}
Exception::Exception(sqlite3* apSQLite, int ret)
    : std::runtime_error(apSQLite ? apSQLite->error_message : "no connection"), mErrcode(ret) {}

void Database::Deleter::operator()(sqlite3* apSQLite) { delete apSQLite; }

Database::Database(const char* apFilename, const int aFlags, const int aBusyTimeoutMs, const char* /*apVfs*/)
    : mSQLitePtr(new sqlite3), mFilename(apFilename)
{
    if ((aFlags & OPEN_CREATE) == 0 && mFilename != ":memory:")
    {
        throw Exception("unable to open database file", 14);  // SQLITE_CANTOPEN
    }
    mSQLitePtr->busy_timeout_ms = aBusyTimeoutMs;
}

void Database::setBusyTimeout(const int aBusyTimeoutMs) { mSQLitePtr->busy_timeout_ms = aBusyTimeoutMs; }

namespace
{
// One statement of the test double's three; returns the rows it changed.
int run(sqlite3& db, const std::string& statement)
{
    std::istringstream words(statement);
    std::string verb, what, name;
    words >> verb >> what >> name;
    if (verb.empty()) return 0;
    auto fail = [&db](const std::string& message) -> int {
        db.error_code = 1;  // SQLITE_ERROR
        db.error_message = message;
        throw Exception(&db, 1);
    };
    if (verb == "CREATE" && what == "TABLE")
    {
        if (!db.tables.emplace(name, 0).second) return fail("table " + name + " already exists");
        return 0;
    }
    if (verb == "DROP" && what == "TABLE")
    {
        if (db.tables.erase(name) == 0) return fail("no such table: " + name);
        return 0;
    }
    if (verb == "INSERT" && what == "INTO")
    {
        auto table = db.tables.find(name);
        if (table == db.tables.end()) return fail("no such table: " + name);
        ++table->second;
        ++db.last_rowid;
        return 1;
    }
    return fail("near \"" + verb + "\": syntax error");
}
}  // namespace

int Database::exec(const char* apQueries)
{
    std::istringstream queries(apQueries);
    std::string statement;
    int changed = 0;
    while (std::getline(queries, statement, ';'))
    {
        const int rows = run(*mSQLitePtr, statement);
        if (statement.find_first_not_of(" \t\n") == std::string::npos) continue;
        changed = rows;
        mSQLitePtr->changes = rows;
        mSQLitePtr->total_changes += rows;
    }
    return changed;
}

int Database::tryExec(const char* apQueries) noexcept
{
    try
    {
        exec(apQueries);
        return OK;
    }
    catch (const Exception& e)
    {
        return e.getErrorCode();
    }
}

Column Database::execAndGet(const char* apQuery)
{
    return Column(apQuery);
}

bool Database::tableExists(const char* apTableName) const { return mSQLitePtr->tables.count(apTableName) != 0; }

int64_t Database::getLastInsertRowid() const noexcept { return mSQLitePtr->last_rowid; }
int Database::getChanges() const noexcept { return mSQLitePtr->changes; }
int Database::getTotalChanges() const noexcept { return mSQLitePtr->total_changes; }
int Database::getErrorCode() const noexcept { return mSQLitePtr->error_code; }
int Database::getExtendedErrorCode() const noexcept { return mSQLitePtr->error_code; }
const char* Database::getErrorMsg() const noexcept { return mSQLitePtr->error_message.c_str(); }

void Database::loadExtension(const char* apExtensionName, const char* /*apEntryPointName*/)
{
    throw Exception((std::string("extension loading is off: ") + apExtensionName).c_str(), 1);
}

void Database::key(const std::string& aKey) const { mSQLitePtr->key = aKey; }
void Database::rekey(const std::string& aNewKey) const { mSQLitePtr->key = aNewKey; }

bool Database::isUnencrypted(const std::string& aFilename) { return aFilename.find("secret") == std::string::npos; }

Header Database::getHeaderInfo(const std::string& aFilename)
{
    Header h{};
    const char magic[] = "SQLite format 3";
    for (unsigned i = 0; i < sizeof magic; ++i) h.headerStr[i] = static_cast<unsigned char>(magic[i]);
    h.pageSizeBytes = 4096;
    h.fileFormatWriteVersion = 1;
    h.fileFormatReadVersion = 1;
    h.maxEmbeddedPayloadFrac = 64;
    h.minEmbeddedPayloadFrac = 32;
    h.leafPayloadFrac = 32;
    h.databaseSizePages = aFilename.size();
    h.databaseTextEncoding = 1;  // UTF-8
    h.sqliteVersion = VERSION_NUMBER;
    return h;
}

void Database::backup(const char* apFilename, BackupType aType)
{
    if (aType == Save && std::string(apFilename).empty()) throw Exception("backup: no file name", 1);
}

}  // namespace SQLite
