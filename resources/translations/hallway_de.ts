<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Admin</name>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="30"/>
        <source>Admin PIN</source>
        <translation>Admin-PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="44"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="53"/>
        <source>Kiosk admin</source>
        <translation>Kiosk-Verwaltung</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="57"/>
        <source>Badge reader test: scan a badge now.</source>
        <translation>Test des Ausweislesers: jetzt einen Ausweis scannen.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="63"/>
        <source>Resync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="65"/>
        <source>Back to the lobby</source>
        <translation>Zurück zum Empfang</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="67"/>
        <source>Exit Hallway</source>
        <translation>Hallway beenden</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="83"/>
        <source>No admin PIN is set on this kiosk. IT sets kiosk.admin_pin_hash in the machine config (hallway-kiosk --hash-pin).</source>
        <translation>Auf diesem Kiosk ist keine Admin-PIN gesetzt. Die IT setzt kiosk.admin_pin_hash in der Gerätekonfiguration (hallway-kiosk --hash-pin).</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="100"/>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>Zu viele falsche PINs. Erneut versuchen in %1 s.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="106"/>
        <source>Wrong PIN.</source>
        <translation>Falsche PIN.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="106"/>
        <source>Try again in %1 s.</source>
        <translation>Erneut versuchen in %1 s.</translation>
    </message>
</context>
<context>
    <name>Card</name>
    <message>
        <location filename="../../kiosk/screens/card.py" line="41"/>
        <source>New joiner</source>
        <translation>Neu im Team</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="45"/>
        <source>Today, meet</source>
        <translation>Heute lernst du kennen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="75"/>
        <source>Tell colleagues you&apos;re in today? Hallway posts it on the company network. You can change this at any check-in.</source>
        <translation>Sollen Kolleg:innen sehen, dass du heute da bist? Hallway postet es im Firmennetzwerk. Du kannst das bei jedem Check-in ändern.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="80"/>
        <source>Yes, share</source>
        <translation>Ja, teilen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="80"/>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="81"/>
        <source>Not now</source>
        <translation>Nicht jetzt</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="92"/>
        <source>Tap anywhere to finish</source>
        <translation>Irgendwo tippen zum Beenden</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="102"/>
        <location filename="../../kiosk/screens/card.py" line="159"/>
        <source>Open on your phone</source>
        <translation>Auf dem Handy öffnen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="123"/>
        <source>✓  You&apos;re checked in, %1</source>
        <translation>✓  Du bist eingecheckt, %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="129"/>
        <source>%1 office</source>
        <translation>Büro %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="137"/>
        <source>Ask me about %1</source>
        <translation>Frag mich nach: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="159"/>
        <source>Say hi from your phone</source>
        <translation>Vom Handy aus Hallo sagen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="166"/>
        <source>In today: find them here in %1</source>
        <translation>Heute da: hier in %1 zu finden</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="168"/>
        <source>In the %1 office today: say hi on the network</source>
        <translation>Heute im Büro %1: Hallo sagen im Netzwerk</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="170"/>
        <source>Works in %1</source>
        <translation>Arbeitet in %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="172"/>
        <source>Works in %1: say hi on the network</source>
        <translation>Arbeitet in %1: Hallo sagen im Netzwerk</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="180"/>
        <source>Starts soon</source>
        <translation>Fängt bald an</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="182"/>
        <source>Joined today</source>
        <translation>Heute angefangen</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="184"/>
        <source>Joined %n day(s) ago</source>
        <translation>
            <numerusform>Seit %n Tag dabei</numerusform>
            <numerusform>Seit %n Tagen dabei</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="186"/>
        <source>Joined %n week(s) ago</source>
        <translation>
            <numerusform>Seit %n Woche dabei</numerusform>
            <numerusform>Seit %n Wochen dabei</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="188"/>
        <source>Joined %n month(s) ago</source>
        <translation>
            <numerusform>Seit %n Monat dabei</numerusform>
            <numerusform>Seit %n Monaten dabei</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/card.py" line="189"/>
        <source>Joined %n year(s) ago</source>
        <translation>
            <numerusform>Seit %n Jahr dabei</numerusform>
            <numerusform>Seit %n Jahren dabei</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="193"/>
        <source>Thanks. Your colleagues will see that you&apos;re in.</source>
        <translation>Danke. Deine Kolleg:innen sehen, dass du da bist.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="194"/>
        <source>Fine: your check-in stays private.</source>
        <translation>In Ordnung: dein Check-in bleibt privat.</translation>
    </message>
</context>
<context>
    <name>DataInUse</name>
    <message>
        <location filename="../../kiosk/data_wait.py" line="35"/>
        <source>Starting in a moment</source>
        <translation>Gleich geht es los</translation>
    </message>
    <message>
        <location filename="../../kiosk/data_wait.py" line="37"/>
        <source>Check-in will be ready shortly.</source>
        <translation>Das Einchecken ist in Kürze bereit.</translation>
    </message>
    <message>
        <location filename="../../kiosk/data_wait.py" line="53"/>
        <source>For IT: %1</source>
        <translation>Für die IT: %1</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk/window.py" line="63"/>
        <source>Hallway lobby</source>
        <translation>Hallway Empfang</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="118"/>
        <source>That badge didn&apos;t read properly. Please try again.</source>
        <translation>Der Ausweis wurde nicht richtig gelesen. Bitte noch einmal.</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="190"/>
        <source>Read %1 characters in %2 ms: %3.</source>
        <translation>%1 Zeichen in %2 ms gelesen: %3.</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="192"/>
        <source>a linked badge</source>
        <translation>ein verknüpfter Ausweis</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="192"/>
        <source>not linked yet</source>
        <translation>noch nicht verknüpft</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="201"/>
        <source>Thanks, you&apos;re checked in. Your colleague of the day will be here once Hallway is ready.</source>
        <translation>Danke, du bist eingecheckt. Deine Kollegin oder dein Kollege des Tages erscheint, sobald Hallway bereit ist.</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="232"/>
        <source>You&apos;re checked in. There is nobody else to meet yet.</source>
        <translation>Du bist eingecheckt. Noch gibt es niemanden kennenzulernen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="252"/>
        <source>Quiz: right! %n in a row.</source>
        <translation>
            <numerusform>Quiz: richtig! %n in Folge.</numerusform>
            <numerusform>Quiz: richtig! %n in Folge.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="253"/>
        <source>Quiz: now you know. See you at the coffee machine.</source>
        <translation>Quiz: jetzt weißt du es. Man sieht sich an der Kaffeemaschine.</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="254"/>
        <source>Quiz: now you know.</source>
        <translation>Quiz: jetzt weißt du es.</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="256"/>
        <source>You already checked in today. Here is your colleague again.</source>
        <translation>Du hast heute schon eingecheckt. Hier noch einmal dein Kontakt des Tages.</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="322"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="324"/>
        <source>Not syncing: IT can see why in the admin panel</source>
        <translation>Keine Synchronisierung: Die IT sieht den Grund in der Verwaltung</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="326"/>
        <source>Not connected: IT needs to renew the kiosk&apos;s sign-in</source>
        <translation>Nicht verbunden: Die IT muss die Anmeldung des Kiosks erneuern</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="328"/>
        <source>%n check-in(s) waiting to send</source>
        <translation>
            <numerusform>%n Check-in wartet auf Versand</numerusform>
            <numerusform>%n Check-ins warten auf Versand</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="335"/>
        <source>Office: %1</source>
        <translation>Büro: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="336"/>
        <source>Connection: %1</source>
        <translation>Verbindung: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="337"/>
        <source>Colleagues in the directory: %1</source>
        <translation>Kolleg:innen im Verzeichnis: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="338"/>
        <source>Check-ins waiting to send: %1</source>
        <translation>Wartende Check-ins: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="339"/>
        <source>Linked badges: %1</source>
        <translation>Verknüpfte Ausweise: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="340"/>
        <source>Photos cached: %1 MB</source>
        <translation>Zwischengespeicherte Fotos: %1 MB</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="351"/>
        <source>Problem: %1</source>
        <translation>Problem: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="352"/>
        <source>Note: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="354"/>
        <source>Profile facts from: %1</source>
        <translation>Profilangaben aus: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="356"/>
        <source>The local data was damaged and was set aside: %1</source>
        <translation>Die lokalen Daten waren beschädigt und wurden beiseitegelegt: %1</translation>
    </message>
</context>
<context>
    <name>QuizScreen</name>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="28"/>
        <source>Who is this?</source>
        <translation>Wer ist das?</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="30"/>
        <source>Your colleague of the day. A guess is fine: only you see your streak.</source>
        <translation>Dein Kontakt des Tages. Raten ist erlaubt: nur du siehst deine Serie.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="48"/>
        <source>I don&apos;t know</source>
        <translation>Weiß ich nicht</translation>
    </message>
</context>
<context>
    <name>Search</name>
    <message>
        <location filename="../../kiosk/screens/search.py" line="34"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="66"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="73"/>
        <source>Space</source>
        <translation>Leerzeichen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="86"/>
        <source>We don&apos;t know this badge yet. Find your name once, and next time your badge is enough.</source>
        <translation>Diesen Ausweis kennen wir noch nicht. Such einmal deinen Namen, beim nächsten Mal reicht der Ausweis.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="87"/>
        <source>Find your name</source>
        <translation>Finde deinen Namen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="101"/>
        <source>Type the first letters of your name</source>
        <translation>Tippe die ersten Buchstaben deines Namens</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="103"/>
        <source>Results appear after two letters.</source>
        <translation>Ergebnisse erscheinen nach zwei Buchstaben.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="105"/>
        <source>Nobody found. Check the spelling, or try your first name only.</source>
        <translation>Niemand gefunden. Prüfe die Schreibweise oder tippe nur den Vornamen.</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="107"/>
        <source>Tap your name.</source>
        <translation>Tippe auf deinen Namen.</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../desktop/tray.py" line="30"/>
        <source>Open Hallway</source>
        <translation>Hallway öffnen</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="31"/>
        <source>Colleague of the day</source>
        <translation>Kolleg:in des Tages</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="32"/>
        <source>Who&apos;s in the office today</source>
        <translation>Wer heute im Büro ist</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="34"/>
        <source>Do not disturb</source>
        <translation>Nicht stören</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="36"/>
        <source>For 1 hour</source>
        <translation>Für 1 Stunde</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="36"/>
        <source>Until tomorrow</source>
        <translation>Bis morgen</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="37"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="44"/>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="46"/>
        <source>Sign in…</source>
        <translation>Anmelden…</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="47"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../../desktop/tray.py" line="48"/>
        <source>Quit Hallway</source>
        <translation>Hallway beenden</translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="27"/>
        <source>Welcome</source>
        <translation>Willkommen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="42"/>
        <source>Find my name</source>
        <translation>Meinen Namen suchen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="55"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="87"/>
        <source>Good morning</source>
        <translation>Guten Morgen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="88"/>
        <source>Good afternoon</source>
        <translation>Guten Tag</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="88"/>
        <source>Good evening</source>
        <translation>Guten Abend</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="95"/>
        <source>Scan your badge to check in, or find your name</source>
        <translation>Scanne deinen Ausweis oder suche deinen Namen</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="98"/>
        <source>Getting ready…</source>
        <translation>Einen Moment…</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="99"/>
        <source>Hallway is fetching your colleagues. You can still scan your badge: your check-in will be kept.</source>
        <translation>Hallway lädt gerade deine Kolleg:innen. Du kannst trotzdem deinen Ausweis scannen: dein Check-in bleibt erhalten.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/welcome.py" line="108"/>
        <source>%n colleague(s) in today</source>
        <translation>
            <numerusform>Heute ist %n Kolleg:in da</numerusform>
            <numerusform>Heute sind %n Kolleg:innen da</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="109"/>
        <source>Be the first one in today</source>
        <translation>Sei heute die oder der Erste</translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="114"/>
        <source>Quiz streaks: </source>
        <translation>Quiz-Serien: </translation>
    </message>
</context>
</TS>
