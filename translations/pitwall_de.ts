<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CommandLine</name>
    <message>
        <source>Directory for the database and state files.</source>
        <translation>Verzeichnis für die Datenbank und die Statusdateien.</translation>
    </message>
    <message>
        <source>HTTP/WebSocket listen address (BIND_ADDR).</source>
        <translation>HTTP/WebSocket-Adresse, auf der gelauscht wird (BIND_ADDR).</translation>
    </message>
    <message>
        <source>trace, debug, info, warn or error (LOG_LEVEL).</source>
        <translation>trace, debug, info, warn oder error (LOG_LEVEL).</translation>
    </message>
    <message>
        <source>text or json (LOG_FORMAT).</source>
        <translation>text oder json (LOG_FORMAT).</translation>
    </message>
    <message>
        <source>postgres://user:pass@host:port/db; default SQLite in the data dir (DATABASE_URL).</source>
        <translation>postgres://benutzer:passwort@host:port/db; Standard ist SQLite im Datenverzeichnis (DATABASE_URL).</translation>
    </message>
    <message>
        <source>Pitwall: VOD queue, timing relay and transcoder governor in one console.</source>
        <translation>Pitwall: VOD-Warteschlange, Zeitmess-Relay und Transcoder-Steuerung in einer Konsole.</translation>
    </message>
    <message>
        <source>Run headless: no window, no display needed.</source>
        <translation>Ohne Oberfläche laufen: kein Fenster, keine Anzeige nötig.</translation>
    </message>
    <message>
        <source>YAML configuration file.</source>
        <translation>YAML-Konfigurationsdatei.</translation>
    </message>
    <message>
        <source>Run the watch scanner with this watch-config.yaml (WATCH_CONFIG).</source>
        <translation>Den Watch-Scanner mit dieser watch-config.yaml starten (WATCH_CONFIG).</translation>
    </message>
</context>
<context>
    <name>Pitwall::ChartsPanel</name>
    <message>
        <source>Relay reads/s</source>
        <translation>Relay-Lesungen/s</translation>
    </message>
    <message>
        <source>reads/s</source>
        <translation>Lesungen/s</translation>
    </message>
    <message>
        <source>VOD queue depth</source>
        <translation>Länge der VOD-Warteschlange</translation>
    </message>
    <message>
        <source>VODs</source>
        <translation>VODs</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>VOD processing averages</source>
        <translation>VOD-Verarbeitung im Mittel</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>download</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>upload</source>
        <translation>Upload</translation>
    </message>
    <message>
        <source>total</source>
        <translation>gesamt</translation>
    </message>
    <message>
        <source>Governed processes</source>
        <translation>Gesteuerte Prozesse</translation>
    </message>
    <message>
        <source>CPU %</source>
        <translation>CPU %</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
</context>
<context>
    <name>Pitwall::ChatPanel</name>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Mitlaufen</translation>
    </message>
    <message>
        <source>Search users and messages</source>
        <translation>Benutzer und Nachrichten durchsuchen</translation>
    </message>
    <message>
        <source>Live chat, all channels</source>
        <translation>Live-Chat, alle Kanäle</translation>
    </message>
    <message>
        <source>Chat of %1</source>
        <translation>Chat von %1</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
</context>
<context>
    <name>Pitwall::ChatTableModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Versatz</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>%1 in #%2; badges: %3</source>
        <translation>%1 in #%2; Abzeichen: %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Reply to %1: %2</source>
        <translation>Antwort an %1: %2</translation>
    </message>
</context>
<context>
    <name>Pitwall::CursorTableModel</name>
    <message>
        <source>Receiver</source>
        <translation>Empfänger</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>Last sequence</source>
        <translation>Letzte Sequenz</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
</context>
<context>
    <name>Pitwall::CursorsPanel</name>
    <message>
        <source>Delete cursor…</source>
        <translation>Cursor löschen…</translation>
    </message>
    <message>
        <source>Delete cursor?</source>
        <translation>Cursor löschen?</translation>
    </message>
    <message>
        <source>Delete the cursors of receiver %1 on stream %2, in every epoch?

The relay forgets how far this receiver has acknowledged the stream; it resumes from what it asks for when it next connects.</source>
        <translation>Die Cursor des Empfängers %1 auf dem Stream %2 in allen Epochen löschen?

Das Relay vergisst, wie weit dieser Empfänger den Stream bestätigt hat; er macht bei seiner nächsten Verbindung dort weiter, wo er es anfordert.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
</context>
<context>
    <name>Pitwall::EpochTableModel</name>
    <message>
        <source>Epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>First event</source>
        <translation>Erstes Ereignis</translation>
    </message>
    <message>
        <source>Last event</source>
        <translation>Letztes Ereignis</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Aktuell</translation>
    </message>
</context>
<context>
    <name>Pitwall::GovernedProcessModel</name>
    <message>
        <source>not attached</source>
        <translation>nicht zugeordnet</translation>
    </message>
    <message>
        <source>%1 (set here)</source>
        <translation>%1 (hier gesetzt)</translation>
    </message>
    <message>
        <source>cleared here</source>
        <translation>hier aufgehoben</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Cgroup</source>
        <translation>Cgroup</translation>
    </message>
    <message>
        <source>Limits applied</source>
        <translation>Angewandte Grenzen</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>CPU %1 %</source>
        <translation>CPU %1 %</translation>
    </message>
    <message>
        <source>weight %1</source>
        <translation>Gewicht %1</translation>
    </message>
    <message>
        <source>memory %1 MB</source>
        <translation>Speicher %1 MB</translation>
    </message>
    <message>
        <source>high %1 MB</source>
        <translation>Schwelle %1 MB</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
</context>
<context>
    <name>Pitwall::GovernedProcessesPanel</name>
    <message>
        <source>The watch scanner is off: switch it on in File &gt; Settings.</source>
        <translation>Der Watch-Scanner ist aus: unter Datei &gt; Einstellungen einschalten.</translation>
    </message>
    <message>
        <source>Apply limits…</source>
        <translation>Grenzen anwenden…</translation>
    </message>
    <message>
        <source>Clear limits…</source>
        <translation>Grenzen aufheben…</translation>
    </message>
    <message>
        <source>Clear limits</source>
        <translation>Grenzen aufheben</translation>
    </message>
    <message>
        <source>Clear the limits of %1 (pid %2)? It moves back to the root cgroup and its job %3 is removed; the process itself keeps running.</source>
        <translation>Die Grenzen von %1 (PID %2) aufheben? Der Prozess kommt zurück in die Wurzel-Cgroup und sein Job %3 wird entfernt; der Prozess selbst läuft weiter.</translation>
    </message>
    <message>
        <source>Waiting for pitwall-helper (pkexec may ask for a password)…</source>
        <translation>Warte auf pitwall-helper (pkexec fragt eventuell nach einem Passwort)…</translation>
    </message>
    <message>
        <source>%1: limits not changed. %2</source>
        <translation>%1: Grenzen nicht geändert. %2</translation>
    </message>
    <message>
        <source>%1: limits applied in job %2: %3</source>
        <translation>%1: Grenzen im Job %2 angewandt: %3</translation>
    </message>
    <message>
        <source>Not supported on this host: %1.</source>
        <translation>Auf diesem Rechner nicht unterstützt: %1.</translation>
    </message>
    <message>
        <source>%1: limits cleared, job %2 removed.</source>
        <translation>%1: Grenzen aufgehoben, Job %2 entfernt.</translation>
    </message>
</context>
<context>
    <name>Pitwall::HealthBar</name>
    <message>
        <source>%1: ready</source>
        <translation>%1: bereit</translation>
    </message>
    <message>
        <source>%1: not ready</source>
        <translation>%1: nicht bereit</translation>
    </message>
    <message>
        <source>Database (%1)</source>
        <translation>Datenbank (%1)</translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>Watch</translation>
    </message>
    <message>
        <source>VOD queue</source>
        <translation>VOD-Warteschlange</translation>
    </message>
    <message>
        <source>Circuit breaker</source>
        <translation>Schutzschalter</translation>
    </message>
</context>
<context>
    <name>Pitwall::HelperClient</name>
    <message>
        <source>Another limits request is still waiting for its answer.</source>
        <translation>Eine andere Anfrage zu Limits wartet noch auf ihre Antwort.</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>%1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>The authentication dialog was dismissed; nothing was changed.</source>
        <translation>Der Authentifizierungsdialog wurde abgebrochen; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>Not authorized to change cgroup limits (or pkexec could not run the helper): %1</source>
        <translation>Keine Berechtigung, cgroup-Limits zu ändern (oder pkexec konnte den Helfer nicht starten): %1</translation>
    </message>
    <message>
        <source>The helper exited with code %1 without an answer: %2</source>
        <translation>Der Helfer wurde mit Code %1 ohne Antwort beendet: %2</translation>
    </message>
    <message>
        <source>The helper refused (%1): %2</source>
        <translation>Der Helfer hat abgelehnt (%1): %2</translation>
    </message>
</context>
<context>
    <name>Pitwall::LimitsDialog</name>
    <message>
        <source>Apply limits to %1</source>
        <translation>Grenzen für %1 anwenden</translation>
    </message>
    <message>
        <source>CPU quota (% of one core):</source>
        <translation>CPU-Kontingent (% eines Kerns):</translation>
    </message>
    <message>
        <source>CPU weight:</source>
        <translation>CPU-Gewicht:</translation>
    </message>
    <message>
        <source>Memory limit (MB):</source>
        <translation>Speichergrenze (MB):</translation>
    </message>
    <message>
        <source>Memory high (MB):</source>
        <translation>Speicherschwelle (MB):</translation>
    </message>
    <message>
        <source>pitwall-helper applies them as root through pkexec: your system may ask for an administrator password.</source>
        <translation>pitwall-helper wendet sie über pkexec als root an: Ihr System fragt eventuell nach einem Administratorpasswort.</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>Set at least one limit, or use Clear limits to remove them.</source>
        <translation>Mindestens eine Grenze setzen, oder mit „Grenzen aufheben“ entfernen.</translation>
    </message>
    <message>
        <source>These limits are out of range: %1</source>
        <translation>Diese Grenzen liegen außerhalb des Bereichs: %1</translation>
    </message>
</context>
<context>
    <name>Pitwall::LogModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Komponente</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Correlation id: %1</source>
        <translation>Korrelations-ID: %1</translation>
    </message>
</context>
<context>
    <name>Pitwall::LogsPanel</name>
    <message>
        <source>All levels</source>
        <translation>Alle Stufen</translation>
    </message>
    <message>
        <source>Debug and above</source>
        <translation>Debug und höher</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info und höher</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnungen und Fehler</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <source>All components</source>
        <translation>Alle Komponenten</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>Meldungen durchsuchen</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Mitlaufen</translation>
    </message>
    <message>
        <source>Keep the newest entry in view</source>
        <translation>Den neuesten Eintrag im Blick behalten</translation>
    </message>
</context>
<context>
    <name>Pitwall::MainWindow</name>
    <message>
        <source>Pitwall</source>
        <translation>Pitwall</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Reload watch configuration</source>
        <translation>Watch-Konfiguration neu &amp;laden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>API on %1:%2</source>
        <translation>API auf %1:%2</translation>
    </message>
    <message>
        <source>Watch configuration reload requested; the log shows the result</source>
        <translation>Neuladen der Watch-Konfiguration angefordert; das Protokoll zeigt das Ergebnis</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>Anordnung &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Governed processes</source>
        <translation>Gesteuerte Prozesse</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
</context>
<context>
    <name>Pitwall::ProvisionTokenDialog</name>
    <message>
        <source>Create token</source>
        <translation>Token erstellen</translation>
    </message>
    <message>
        <source>Provision device token</source>
        <translation>Geräte-Token ausstellen</translation>
    </message>
    <message>
        <source>A forwarder&apos;s id is derived from its token; the name entered here only labels the request. A receiver keeps the id entered.</source>
        <translation>Die ID eines Forwarders wird aus seinem Token abgeleitet; der hier eingegebene Name beschriftet nur die Anfrage. Ein Empfänger behält die eingegebene ID.</translation>
    </message>
    <message>
        <source>Device type:</source>
        <translation>Gerätetyp:</translation>
    </message>
    <message>
        <source>Device id:</source>
        <translation>Geräte-ID:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Copy this token now.&lt;/b&gt; It is shown only this once: Pitwall stores only its hash and cannot show it again. Anyone who has it can connect as this device.</source>
        <translation>&lt;b&gt;Kopieren Sie dieses Token jetzt.&lt;/b&gt; Es wird nur dieses eine Mal angezeigt: Pitwall speichert nur seinen Hash und kann es nicht erneut anzeigen. Wer es besitzt, kann sich als dieses Gerät verbinden.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>%1 %2, token id %3</source>
        <translation>%1 %2, Token-ID %3</translation>
    </message>
    <message>
        <source>The token was not created: %1.</source>
        <translation>Das Token wurde nicht erstellt: %1.</translation>
    </message>
</context>
<context>
    <name>Pitwall::RelayConsole</name>
    <message>
        <source>The relay engine is not running.</source>
        <translation>Die Relay-Engine läuft nicht.</translation>
    </message>
</context>
<context>
    <name>Pitwall::RelayConsoleService</name>
    <message>
        <source>Cannot list the relay streams: %1</source>
        <translation>Die Relay-Streams können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Cannot list the epochs of the stream: %1</source>
        <translation>Die Epochen des Streams können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Cannot rename the stream: %1</source>
        <translation>Der Stream kann nicht umbenannt werden: %1</translation>
    </message>
    <message>
        <source>Cannot list the device tokens: %1</source>
        <translation>Die Geräte-Token können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Cannot revoke the token: %1</source>
        <translation>Das Token kann nicht widerrufen werden: %1</translation>
    </message>
    <message>
        <source>Cannot list the receiver cursors: %1</source>
        <translation>Die Empfänger-Cursor können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Cannot delete the receiver cursor: %1</source>
        <translation>Der Empfänger-Cursor kann nicht gelöscht werden: %1</translation>
    </message>
    <message>
        <source>the database is unavailable</source>
        <translation>die Datenbank ist nicht erreichbar</translation>
    </message>
    <message>
        <source>the database stayed locked by another writer; try again</source>
        <translation>die Datenbank blieb von einem anderen Schreiber gesperrt; bitte erneut versuchen</translation>
    </message>
    <message>
        <source>the stream no longer exists</source>
        <translation>der Stream existiert nicht mehr</translation>
    </message>
    <message>
        <source>the database reported: %1</source>
        <translation>die Datenbank meldete: %1</translation>
    </message>
    <message>
        <source>choose forwarder or receiver</source>
        <translation>wählen Sie Forwarder oder Empfänger</translation>
    </message>
    <message>
        <source>enter a device id</source>
        <translation>geben Sie eine Geräte-ID ein</translation>
    </message>
    <message>
        <source>this token exists already</source>
        <translation>dieses Token existiert bereits</translation>
    </message>
    <message>
        <source>the token is unknown or already revoked</source>
        <translation>das Token ist unbekannt oder bereits widerrufen</translation>
    </message>
    <message>
        <source>Cannot name epoch %1: %2</source>
        <translation>Epoche %1 kann nicht benannt werden: %2</translation>
    </message>
</context>
<context>
    <name>Pitwall::RelayFormat</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>Pitwall::RelayPanels</name>
    <message>
        <source>Relay streams</source>
        <translation>Relay-Streams</translation>
    </message>
    <message>
        <source>Stream detail</source>
        <translation>Stream-Details</translation>
    </message>
    <message>
        <source>Device tokens</source>
        <translation>Geräte-Token</translation>
    </message>
    <message>
        <source>Receivers and cursors</source>
        <translation>Empfänger und Cursor</translation>
    </message>
</context>
<context>
    <name>Pitwall::RelayStreamsPanel</name>
    <message>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <source>Reset epoch…</source>
        <translation>Epoche zurücksetzen…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
</context>
<context>
    <name>Pitwall::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Govern ffmpeg/GStreamer processes (watch scanner)</source>
        <translation>ffmpeg-/GStreamer-Prozesse steuern (Watch-Scanner)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Configuration file:</source>
        <translation>Konfigurationsdatei:</translation>
    </message>
    <message>
        <source>Changes take effect the next time the console starts. A watch configuration given with --watch-config or WATCH_CONFIG is used instead of this one. To re-read the file of a running watch scanner, use File &gt; Reload watch configuration.</source>
        <translation>Änderungen gelten ab dem nächsten Start der Konsole. Eine mit --watch-config oder WATCH_CONFIG angegebene Watch-Konfiguration wird stattdessen verwendet. Um die Datei eines laufenden Watch-Scanners neu einzulesen: Datei &gt; Watch-Konfiguration neu laden.</translation>
    </message>
    <message>
        <source>Watch scanner</source>
        <translation>Watch-Scanner</translation>
    </message>
    <message>
        <source>Choose a watch configuration file to enable the watch scanner.</source>
        <translation>Zum Einschalten des Watch-Scanners eine Watch-Konfigurationsdatei wählen.</translation>
    </message>
    <message>
        <source>The watch configuration does not load: %1</source>
        <translation>Die Watch-Konfiguration lässt sich nicht laden: %1</translation>
    </message>
    <message>
        <source>Watch configuration file</source>
        <translation>Watch-Konfigurationsdatei</translation>
    </message>
    <message>
        <source>YAML files (*.yaml *.yml);;All files (*)</source>
        <translation>YAML-Dateien (*.yaml *.yml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>Systemvorgabe (%1)</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>The new language is used the next time the console starts. PITWALL_LANG in the environment overrides this choice.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start der Konsole. PITWALL_LANG in der Umgebung hat Vorrang vor dieser Wahl.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
</context>
<context>
    <name>Pitwall::SlidingChart</name>
    <message>
        <source>No data</source>
        <translation>Keine Daten</translation>
    </message>
</context>
<context>
    <name>Pitwall::StreamActions</name>
    <message>
        <source>Rename stream</source>
        <translation>Stream umbenennen</translation>
    </message>
    <message>
        <source>Name of the stream of reader %1 (empty: show the reader&apos;s address):</source>
        <translation>Name des Streams von Leser %1 (leer: die Adresse des Lesers anzeigen):</translation>
    </message>
    <message>
        <source>Reset epoch?</source>
        <translation>Epoche zurücksetzen?</translation>
    </message>
    <message>
        <source>Reset the epoch of stream %1 (forwarder %2, reader %3)?

Its current epoch is %4. The forwarder is told to start epoch %5; the reads of epoch %4 stay stored and can still be exported.</source>
        <translation>Die Epoche des Streams %1 (Forwarder %2, Leser %3) zurücksetzen?

Seine aktuelle Epoche ist %4. Der Forwarder wird angewiesen, Epoche %5 zu beginnen; die Lesungen der Epoche %4 bleiben gespeichert und können weiterhin exportiert werden.</translation>
    </message>
    <message>
        <source>Reset epoch</source>
        <translation>Epoche zurücksetzen</translation>
    </message>
    <message>
        <source>Epoch reset sent to the forwarder of stream %1.</source>
        <translation>Epochen-Reset an den Forwarder des Streams %1 gesendet.</translation>
    </message>
    <message>
        <source>Epoch reset failed</source>
        <translation>Epochen-Reset fehlgeschlagen</translation>
    </message>
    <message>
        <source>The epoch of stream %1 was not reset: %2 (HTTP %3).</source>
        <translation>Die Epoche des Streams %1 wurde nicht zurückgesetzt: %2 (HTTP %3).</translation>
    </message>
    <message>
        <source>Forwarder offline</source>
        <translation>Forwarder offline</translation>
    </message>
    <message>
        <source>The forwarder of stream %1 is not connected, so its epoch cannot be reset now.

An epoch reset is sent to the forwarder over its live session; without one the relay refuses it (409 Conflict). Nothing was changed. Reset the epoch once the forwarder is online again.</source>
        <translation>Der Forwarder des Streams %1 ist nicht verbunden, daher kann seine Epoche jetzt nicht zurückgesetzt werden.

Ein Epochen-Reset wird dem Forwarder über seine laufende Sitzung gesendet; ohne sie lehnt das Relay ihn ab (409 Conflict). Es wurde nichts geändert. Setzen Sie die Epoche zurück, sobald der Forwarder wieder online ist.</translation>
    </message>
    <message>
        <source>Name epoch</source>
        <translation>Epoche benennen</translation>
    </message>
    <message>
        <source>Name of epoch %1 of stream %2 (empty: no name):</source>
        <translation>Name der Epoche %1 des Streams %2 (leer: kein Name):</translation>
    </message>
</context>
<context>
    <name>Pitwall::StreamDetailPanel</name>
    <message>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <source>Reset epoch…</source>
        <translation>Epoche zurücksetzen…</translation>
    </message>
    <message>
        <source>Export stream…</source>
        <translation>Stream exportieren…</translation>
    </message>
    <message>
        <source>Export epoch…</source>
        <translation>Epoche exportieren…</translation>
    </message>
    <message>
        <source>Events in this epoch</source>
        <translation>Ereignisse in dieser Epoche</translation>
    </message>
    <message>
        <source>Raw reads in this epoch</source>
        <translation>Rohlesungen in dieser Epoche</translation>
    </message>
    <message>
        <source>Retransmits in this epoch</source>
        <translation>Wiederholungen in dieser Epoche</translation>
    </message>
    <message>
        <source>Conflicts in this epoch</source>
        <translation>Konflikte in dieser Epoche</translation>
    </message>
    <message>
        <source>Receiver backlog</source>
        <translation>Rückstand der Empfänger</translation>
    </message>
    <message>
        <source>Unique chips</source>
        <translation>Verschiedene Chips</translation>
    </message>
    <message>
        <source>Last chip</source>
        <translation>Letzter Chip</translation>
    </message>
    <message>
        <source>Last reader time</source>
        <translation>Letzte Leserzeit</translation>
    </message>
    <message>
        <source>Last read received</source>
        <translation>Letzte Lesung empfangen</translation>
    </message>
    <message>
        <source>Select a stream in the relay streams panel.</source>
        <translation>Wählen Sie einen Stream im Bereich Relay-Streams.</translation>
    </message>
    <message>
        <source>Stream %1</source>
        <translation>Stream %1</translation>
    </message>
    <message>
        <source>Name epoch…</source>
        <translation>Epoche benennen…</translation>
    </message>
</context>
<context>
    <name>Pitwall::StreamExporter</name>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Textdateien (*.txt)</translation>
    </message>
    <message>
        <source>Export epoch %1 of %2</source>
        <translation>Epoche %1 von %2 exportieren</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 exportieren</translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation>Datei ersetzen?</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it with the export of %2?</source>
        <translation>%1 existiert bereits. Durch den Export von %2 ersetzen?</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Exportiere nach %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>the database failed: %1</source>
        <translation>die Datenbank ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>canceled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>Export abgeschlossen</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n row(s) to %1.</source>
        <translation>
            <numerusform>%n Zeile nach %1 geschrieben.</numerusform>
            <numerusform>%n Zeilen nach %1 geschrieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 was not written: %2.</source>
        <translation>%1 wurde nicht geschrieben: %2.</translation>
    </message>
</context>
<context>
    <name>Pitwall::StreamTableModel</name>
    <message>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <source>Forwarder</source>
        <translation>Forwarder</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>Leser</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Reader connected</source>
        <translation>Leser verbunden</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>Pending epoch</source>
        <translation>Ausstehende Epoche</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Raw reads</source>
        <translation>Rohlesungen</translation>
    </message>
    <message>
        <source>Retransmits</source>
        <translation>Wiederholungen</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Konflikte</translation>
    </message>
    <message>
        <source>Lag</source>
        <translation>Verzögerung</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Getrennt</translation>
    </message>
</context>
<context>
    <name>Pitwall::TokenTableModel</name>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Token id</source>
        <translation>Token-ID</translation>
    </message>
    <message>
        <source>Forwarder</source>
        <translation>Forwarder</translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation>Empfänger</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
</context>
<context>
    <name>Pitwall::TokensPanel</name>
    <message>
        <source>Revoke…</source>
        <translation>Widerrufen…</translation>
    </message>
    <message>
        <source>Provision…</source>
        <translation>Ausstellen…</translation>
    </message>
    <message>
        <source>Revoke token?</source>
        <translation>Token widerrufen?</translation>
    </message>
    <message>
        <source>Revoke the token of %1 %2?

Its sessions end now and the device cannot connect with it again. This cannot be undone.</source>
        <translation>Das Token von %1 %2 widerrufen?

Seine Sitzungen enden sofort und das Gerät kann sich damit nicht mehr verbinden. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
</context>
<context>
    <name>Pitwall::VodConsole</name>
    <message>
        <source>The VOD engine is not running.</source>
        <translation>Die VOD-Engine läuft nicht.</translation>
    </message>
</context>
<context>
    <name>Pitwall::VodConsoleService</name>
    <message>
        <source>Cannot load the VOD queue: %1</source>
        <translation>Die VOD-Warteschlange kann nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Cannot load the chat of %1: %2</source>
        <translation>Der Chat von %1 kann nicht geladen werden: %2</translation>
    </message>
</context>
<context>
    <name>Pitwall::VodQueuePanel</name>
    <message>
        <source>VOD queue</source>
        <translation>VOD-Warteschlange</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>&amp;Reprocess</source>
        <translation>&amp;Neu verarbeiten</translation>
    </message>
    <message>
        <source>&amp;Priority…</source>
        <translation>&amp;Priorität…</translation>
    </message>
    <message>
        <source>&amp;Skip upload</source>
        <translation>&amp;Upload überspringen</translation>
    </message>
    <message>
        <source>Cancel VOD</source>
        <translation>VOD abbrechen</translation>
    </message>
    <message>
        <source>Cancel %1 (%2)? A running download stops; its partial file is kept, so reprocessing resumes it.</source>
        <translation>%1 (%2) abbrechen? Ein laufender Download hält an; die Teildatei bleibt erhalten, erneutes Verarbeiten setzt ihn fort.</translation>
    </message>
    <message>
        <source>Reprocess VOD</source>
        <translation>VOD neu verarbeiten</translation>
    </message>
    <message>
        <source>Queue %1 (%2) again? Its error and attempt counters are cleared.</source>
        <translation>%1 (%2) erneut einreihen? Fehler und Versuchszähler werden zurückgesetzt.</translation>
    </message>
    <message>
        <source>VOD priority</source>
        <translation>VOD-Priorität</translation>
    </message>
    <message>
        <source>Priority of %1 (higher is processed first):</source>
        <translation>Priorität von %1 (höhere wird zuerst verarbeitet):</translation>
    </message>
</context>
<context>
    <name>Pitwall::VodTableModel</name>
    <message>
        <source>Queued</source>
        <translation>Eingereiht</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Wird heruntergeladen</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Heruntergeladen</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>Wird hochgeladen</translation>
    </message>
    <message>
        <source>Uploaded</source>
        <translation>Hochgeladen</translation>
    </message>
    <message>
        <source>Done (no upload)</source>
        <translation>Fertig (ohne Upload)</translation>
    </message>
    <message>
        <source>Failed, will retry</source>
        <translation>Fehlgeschlagen, neuer Versuch folgt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Throttled</source>
        <translation>Gedrosselt</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>VOD</source>
        <translation>VOD</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Download only: the upload is skipped</source>
        <translation>Nur Download: der Upload wird übersprungen</translation>
    </message>
    <message>
        <source>%1, download only</source>
        <translation>%1, nur Download</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>&gt; 99 h</source>
        <translation>&gt; 99 h</translation>
    </message>
</context>
</TS>
