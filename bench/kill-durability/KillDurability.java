import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Does a commit survive kill -9? {@code write URL SECONDS}: commits small transactions (an insert, then an update of
 * an older row, as the outbox does) for SECONDS, printing the count after each commit, then idles until killed.
 * {@code check URL}: prints how many commits the database holds. The script beside this kills the writer and
 * compares the last count it printed with what the database holds.
 */
public class KillDurability {
    public static void main(String[] args) throws Exception {
        String url = args[1];
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS t (id BIGINT PRIMARY KEY, v VARCHAR(1000), n BIGINT)");
            if (args[0].equals("check")) {
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), COALESCE(SUM(n), 0) FROM t");
                rs.next();
                System.out.println(rs.getLong(1) + rs.getLong(2));
                return;
            }
            c.setAutoCommit(false);
            long end = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
            long commits = 0;
            for (long id = 1; System.currentTimeMillis() < end; id++) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?, 0)")) {
                    insert.setLong(1, id);
                    insert.setString(2, "x".repeat(300));
                    insert.executeUpdate();
                }
                c.commit();
                commits++;
                try (PreparedStatement update = c.prepareStatement("UPDATE t SET n = n + 1 WHERE id = ?")) {
                    update.setLong(1, 1 + (id * 7919) % id);
                    update.executeUpdate();
                }
                c.commit();
                commits++;
                System.out.println(commits);
            }
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
