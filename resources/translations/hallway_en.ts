<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Admin</name>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="36"/>
        <source>Admin PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="50"/>
        <location filename="../../kiosk/screens/admin.py" line="101"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="59"/>
        <source>Kiosk admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="63"/>
        <source>Badge reader test: scan a badge now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="69"/>
        <source>Resync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="71"/>
        <location filename="../../kiosk/screens/admin.py" line="88"/>
        <source>Sign in the kiosk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="75"/>
        <source>Back to the lobby</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="77"/>
        <source>Exit Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="92"/>
        <source>Sign-in code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="122"/>
        <source>No admin PIN is set on this kiosk. IT sets kiosk.admin_pin_hash in the machine config (hallway-kiosk --hash-pin).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/admin.py" line="135"/>
        <source>Wrong PIN. Try again in %n second(s).</source>
        <translation>
            <numerusform>Wrong PIN. Try again in %n second.</numerusform>
            <numerusform>Wrong PIN. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/admin.py" line="136"/>
        <source>Too many wrong PINs. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in %n second.</numerusform>
            <numerusform>Too many wrong PINs. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="142"/>
        <source>Wrong PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="188"/>
        <source>Asking the network for a sign-in code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="197"/>
        <source>On your phone, open this address, enter the code, and sign in with the kiosk&apos;s account:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/admin.py" line="203"/>
        <source>Waiting for you to sign in…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <location filename="../../desktop/parts/alerts.py" line="91"/>
        <source>%1 and %2 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/alerts.py" line="94"/>
        <source>From %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/parts/alerts.py" line="99"/>
        <source>%n new announcement(s)</source>
        <translation>
            <numerusform>%n new announcement</numerusform>
            <numerusform>%n new announcements</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/parts/alerts.py" line="102"/>
        <source>Announcement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/alerts.py" line="113"/>
        <source>%1 (%2 in this thread)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/parts/alerts.py" line="119"/>
        <source>%n announcement(s)</source>
        <translation>
            <numerusform>%n announcement</numerusform>
            <numerusform>%n announcements</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/parts/alerts.py" line="120"/>
        <source>While it was quiet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/parts/alerts.py" line="125"/>
        <source>%n new mention(s)</source>
        <translation>
            <numerusform>%n new mention</numerusform>
            <numerusform>%n new mentions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/parts/alerts.py" line="125"/>
        <source>%n mention(s)</source>
        <translation>
            <numerusform>%n mention</numerusform>
            <numerusform>%n mentions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/parts/alerts.py" line="127"/>
        <source>%n new reply(-ies)</source>
        <translation>
            <numerusform>%n new reply</numerusform>
            <numerusform>%n new replies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/parts/alerts.py" line="127"/>
        <source>%n reply(-ies)</source>
        <translation>
            <numerusform>%n reply</numerusform>
            <numerusform>%n replies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/parts/alerts.py" line="128"/>
        <source>%n new notification(s)</source>
        <translation>
            <numerusform>%n new notification</numerusform>
            <numerusform>%n new notifications</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/parts/alerts.py" line="128"/>
        <source>%n notification(s)</source>
        <translation>
            <numerusform>%n notification</numerusform>
            <numerusform>%n notifications</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/parts/alerts.py" line="132"/>
        <source>%1 replied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/alerts.py" line="133"/>
        <source>%1 mentioned you</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Card</name>
    <message>
        <location filename="../../kiosk/screens/card.py" line="59"/>
        <source>New joiner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="63"/>
        <source>Today, meet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="95"/>
        <source>Tell colleagues you&apos;re in today? Hallway posts it on the company network. You can change this at any check-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="100"/>
        <source>Yes, share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="100"/>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="101"/>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="112"/>
        <source>Tap anywhere to finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="122"/>
        <location filename="../../kiosk/screens/card.py" line="195"/>
        <source>Open on your phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="181"/>
        <source>✓  You&apos;re checked in, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="154"/>
        <source>%1 office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="147"/>
        <source>Ask me about %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="183"/>
        <source>Thanks, %1. Your check-in is not saved yet: the kiosk keeps trying, then sends it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="195"/>
        <source>Say hi from your phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="202"/>
        <source>In today: find them here in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="204"/>
        <source>In the %1 office today: say hi on the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="206"/>
        <source>Works in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="208"/>
        <source>Works in %1: say hi on the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="216"/>
        <source>Thanks. Your colleagues will see that you&apos;re in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/card.py" line="217"/>
        <source>Fine: your check-in stays private.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Celebrating</name>
    <message>
        <location filename="../../desktop/parts/celebrating.py" line="44"/>
        <source>Celebrating today</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Cheers</name>
    <message>
        <location filename="../../ui/language.py" line="109"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/language.py" line="112"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/language.py" line="116"/>
        <source>Happy birthday, %1!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/language.py" line="118"/>
        <source>%1: %2 with us</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/language.py" line="118"/>
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n year</numerusform>
            <numerusform>%n years</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/language.py" line="120"/>
        <source>Welcome to our new colleagues: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeForm</name>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="145"/>
        <source>Sign in to Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="147"/>
        <source>Paste the code from your browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="150"/>
        <source>%1 shows a code after you sign in there, instead of returning to Hallway by itself. Copy it from the browser tab and paste it here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="157"/>
        <source>The code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="159"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Coffee</name>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="77"/>
        <source>Coffee corner, %1 office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="78"/>
        <source>Online call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="79"/>
        <source>Coffee: %1 and %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="80"/>
        <source>Coffee with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="81"/>
        <source>%1 was your colleague of the day in Hallway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="84"/>
        <source>You are in %1 and %2 in %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="86"/>
        <source>%1 works in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="88"/>
        <source>You work in different places</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="89"/>
        <source>%1: a 15-minute video call. Add the call link of your choice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="91"/>
        <source>Ask me about: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="93"/>
        <source>Hallway has no email address for %1: add them to the invitation yourself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="96"/>
        <source>Profile: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ColleagueCard</name>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="42"/>
        <location filename="../../desktop/views/colleague_card.py" line="138"/>
        <source>Colleague of the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="47"/>
        <location filename="../../desktop/views/colleague_card.py" line="137"/>
        <source>Your colleague of the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="67"/>
        <source>New joiner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="71"/>
        <source>Say hi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="74"/>
        <source>Invite for coffee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="79"/>
        <source>Starred colleagues: hear when they check in, and see when your office days match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="137"/>
        <source>Colleague</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="159"/>
        <source>Hobbies: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="162"/>
        <source>Ask me about %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="165"/>
        <source>Colleague of the day: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="177"/>
        <source>Starred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="177"/>
        <source>Star</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="192"/>
        <source>Nobody yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/colleague_card.py" line="193"/>
        <source>Your colleague of the day appears once Hallway has the company directory.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComposeBox</name>
    <message>
        <location filename="../../desktop/views/compose.py" line="73"/>
        <location filename="../../desktop/views/compose.py" line="74"/>
        <location filename="../../desktop/views/compose.py" line="237"/>
        <location filename="../../desktop/views/compose.py" line="238"/>
        <source>Stop replying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="86"/>
        <source>Content warning (shown before the post)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="87"/>
        <source>Content warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="92"/>
        <location filename="../../desktop/views/compose.py" line="240"/>
        <source>Write to everyone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="93"/>
        <source>Write a post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="100"/>
        <source>CW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="102"/>
        <location filename="../../desktop/views/compose.py" line="103"/>
        <source>Add a content warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="111"/>
        <location filename="../../desktop/views/compose.py" line="113"/>
        <source>Post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="114"/>
        <location filename="../../desktop/views/compose.py" line="268"/>
        <source>Post (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="178"/>
        <source>Will send when you&apos;re back online</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/views/compose.py" line="179"/>
        <source>%n posts will send when you&apos;re back online</source>
        <translation>
            <numerusform>%n post will send when you&apos;re back online</numerusform>
            <numerusform>%n posts will send when you&apos;re back online</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="181"/>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/views/compose.py" line="181"/>
        <source>Sending %n post(s)…</source>
        <translation>
            <numerusform>Sending %n post…</numerusform>
            <numerusform>Sending %n posts…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="207"/>
        <source>Replying to %1: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="208"/>
        <source>Replying to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="208"/>
        <source>Replying to a post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="210"/>
        <source>Reply to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="211"/>
        <source>Write your reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="223"/>
        <source>A private message: only %1 will see it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="224"/>
        <location filename="../../desktop/views/compose.py" line="225"/>
        <source>Write to everyone instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/compose.py" line="227"/>
        <source>Say hi to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/views/compose.py" line="261"/>
        <source>%n character(s) too many</source>
        <translation>
            <numerusform>%n character too many</numerusform>
            <numerusform>%n characters too many</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/views/compose.py" line="262"/>
        <source>%n character(s) left</source>
        <translation>
            <numerusform>%n character left</numerusform>
            <numerusform>%n characters left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/views/compose.py" line="267"/>
        <source>Too long for this server by %n character(s)</source>
        <translation>
            <numerusform>Too long for this server by %n character</numerusform>
            <numerusform>Too long for this server by %n characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DataInUse</name>
    <message>
        <location filename="../../kiosk/data_wait.py" line="36"/>
        <source>Starting in a moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/data_wait.py" line="38"/>
        <source>Check-in will be ready shortly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/data_wait.py" line="56"/>
        <source>Hallway is starting. Please scan your badge again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/data_wait.py" line="59"/>
        <source>For IT: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeedDelegate</name>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="73"/>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="75"/>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="77"/>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="252"/>
        <source>⇄ boosted by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="263"/>
        <source>Announcement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="315"/>
        <source>↩ Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="318"/>
        <source>Open ↗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="329"/>
        <source>%1  ·  %2 in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="350"/>
        <source>since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="430"/>
        <source>mentioned you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="431"/>
        <source>replied to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="432"/>
        <source>liked your post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/delegate.py" line="433"/>
        <source>followed you</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeedModel</name>
    <message>
        <location filename="../../desktop/feed/model.py" line="227"/>
        <source>A colleague not in this computer&apos;s list yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/model.py" line="241"/>
        <source>In a thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/model.py" line="241"/>
        <source>↩ A reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/model.py" line="245"/>
        <source>In %1&apos;s thread: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/model.py" line="246"/>
        <source>↩ %1: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/model.py" line="253"/>
        <source>%1, boosted by %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/model.py" line="259"/>
        <source>Announcement: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/feed/model.py" line="262"/>
        <source>%1: %2 in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeedWindow</name>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="72"/>
        <source>Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="83"/>
        <location filename="../../desktop/views/feed_window.py" line="84"/>
        <source>Colleague of the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="88"/>
        <location filename="../../desktop/views/feed_window.py" line="89"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="102"/>
        <source>Feed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="102"/>
        <location filename="../../desktop/views/feed_window.py" line="376"/>
        <source>Mentions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="102"/>
        <location filename="../../desktop/views/feed_window.py" line="378"/>
        <source>Announcements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="102"/>
        <location filename="../../desktop/views/feed_window.py" line="380"/>
        <source>In today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="107"/>
        <source>Nothing in your feed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="108"/>
        <source>No mentions or replies yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="109"/>
        <source>No announcements right now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="110"/>
        <source>Nobody has shared that they are in today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="150"/>
        <source>Press Enter to reply to the selected post.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="156"/>
        <source>Sign in with your company account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="160"/>
        <source>Hallway opens your company&apos;s sign-in page in your browser, and keeps the sign-in in this computer&apos;s keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="336"/>
        <source>Offline: showing what was last synced. Hallway reconnects by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="338"/>
        <source>Sending slowly: the network limits how fast Hallway may write. What you wrote goes out by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="341"/>
        <source>Not syncing: %1 Showing what was last synced; Hallway keeps trying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="376"/>
        <source>Mentions (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="378"/>
        <source>Announcements (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/feed_window.py" line="380"/>
        <source>In today (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Invitations</name>
    <message>
        <location filename="../../desktop/parts/coffee.py" line="226"/>
        <source>No calendar app opened the invitation. It is saved as %1; copy it and paste it into your calendar, or attach the file to an email.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk/window.py" line="73"/>
        <source>Hallway lobby</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="131"/>
        <source>That badge didn&apos;t read properly. Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="209"/>
        <source>Read %1 characters in %2 ms: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="211"/>
        <source>a linked badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="211"/>
        <source>not linked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="223"/>
        <source>Thanks, you&apos;re checked in. Your colleague of the day will be here once Hallway is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="225"/>
        <location filename="../../kiosk/window.py" line="266"/>
        <source>Thanks. Your check-in is not saved yet: the kiosk keeps trying, then sends it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="227"/>
        <source>This kiosk does not know this badge, and the network lists nobody it may show, so this check-in was not recorded. IT can see why in the admin panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="230"/>
        <source>Hallway is still getting ready and does not know this badge yet, so this check-in was not recorded. Please try again in a few minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="265"/>
        <source>You&apos;re checked in. There is nobody else to meet yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="287"/>
        <source>Quiz: right! %n in a row.</source>
        <translation>
            <numerusform>Quiz: right! %n in a row.</numerusform>
            <numerusform>Quiz: right! %n in a row.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="288"/>
        <source>Quiz: now you know. See you at the coffee machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="289"/>
        <source>Quiz: now you know.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="291"/>
        <source>You already checked in today. Here is your colleague again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="317"/>
        <source>Thanks. Your colleagues will see that you&apos;re in as soon as the kiosk can save it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="394"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="396"/>
        <source>Not syncing: IT can see why in the admin panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="398"/>
        <source>Not connected: IT needs to renew the kiosk&apos;s sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="400"/>
        <source>Sending slowly: the network limits how fast the kiosk may post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="402"/>
        <source>The kiosk&apos;s disk is full: IT can see why in the admin panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="404"/>
        <source>%n check-in(s) not saved yet: the kiosk keeps trying</source>
        <translation>
            <numerusform>%n check-in not saved yet: the kiosk keeps trying</numerusform>
            <numerusform>%n check-ins not saved yet: the kiosk keeps trying</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/window.py" line="406"/>
        <source>%n check-in(s) waiting to send</source>
        <translation>
            <numerusform>%n check-in waiting to send</numerusform>
            <numerusform>%n check-ins waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="413"/>
        <source>Office: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="414"/>
        <source>Connection: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="415"/>
        <source>Colleagues in the directory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="416"/>
        <source>Check-ins waiting to send: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="417"/>
        <source>Not saved yet (kept in memory): %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="419"/>
        <source>Disk: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="420"/>
        <source>Linked badges: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="421"/>
        <source>Photos cached: %1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="432"/>
        <source>Problem: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="434"/>
        <source>Check-ins are not shared: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="435"/>
        <source>Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="437"/>
        <source>People from: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="439"/>
        <source>Profile facts from: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/window.py" line="441"/>
        <source>The local data was damaged and was set aside: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Links</name>
    <message>
        <location filename="../../desktop/parts/links.py" line="52"/>
        <source>That Hallway link is too long to be one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/links.py" line="55"/>
        <source>That is not a Hallway link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/links.py" line="59"/>
        <source>Hallway does not know links to “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/links.py" line="60"/>
        <source>That Hallway link is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/links.py" line="64"/>
        <source>That Hallway link does not say which colleague.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/links.py" line="65"/>
        <source>That Hallway link does not say which post.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/links.py" line="68"/>
        <source>That Hallway link has more in it than Hallway understands.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MorningColleague</name>
    <message>
        <location filename="../../desktop/parts/colleague_greeting.py" line="63"/>
        <source>Say hi today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/colleague_greeting.py" line="64"/>
        <source>Meet %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/colleague_greeting.py" line="78"/>
        <source>Hallway cannot read the company directory. %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../desktop/parts/navigation.py" line="35"/>
        <source>Your desktop has no system tray, so Hallway runs in this window instead. Closing the window quits Hallway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/navigation.py" line="123"/>
        <source>That colleague is not in the company directory on this computer (they may have left, or the directory is still arriving).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/navigation.py" line="139"/>
        <source>That post is not in your feed on this computer (it may have been deleted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/navigation.py" line="194"/>
        <source>Invite for coffee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/navigation.py" line="196"/>
        <source>Copy invitation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoticeCentre</name>
    <message>
        <location filename="../../desktop/parts/notice_centre.py" line="60"/>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/notice_centre.py" line="60"/>
        <source>Mark read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/notice_centre.py" line="60"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphraseForm</name>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="96"/>
        <source>Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="98"/>
        <source>Unlock this computer&apos;s certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="100"/>
        <source>The company&apos;s network lets in only computers that show their certificate. The one IT set up for Hallway, %1, is locked with a passphrase: IT gave it with the certificate. Hallway keeps it in this computer&apos;s keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="107"/>
        <source>That passphrase does not open the certificate. Try again, or ask IT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="118"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="120"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="121"/>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordForm</name>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="38"/>
        <source>Sign in to Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="41"/>
        <source>Sign in to the company&apos;s proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="42"/>
        <source>Sign in to your Matrix account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="44"/>
        <source>Hallway reaches the network through the company&apos;s proxy at %1, which asks for your user name and password. Hallway keeps them in this computer&apos;s keyring and sends them only to that proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="47"/>
        <source>%1 has no company sign-in page, so Hallway asks here once. The password goes only to that server; Hallway keeps the sign-in in this computer&apos;s keyring, not the password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="54"/>
        <source>Your user name at work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="55"/>
        <source>ada or @ada:example.org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="61"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="62"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/sign_in_forms.py" line="64"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PostActions</name>
    <message>
        <location filename="../../desktop/views/post_actions.py" line="81"/>
        <source>Liked: %1&apos;s post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/post_actions.py" line="81"/>
        <source>Like %1&apos;s post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/post_actions.py" line="82"/>
        <source>Shared: %1&apos;s post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/post_actions.py" line="82"/>
        <source>Share %1&apos;s post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/post_actions.py" line="83"/>
        <source>Reply to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/post_actions.py" line="84"/>
        <source>Open %1&apos;s post in the browser</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuizScreen</name>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="29"/>
        <source>Who is this?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="31"/>
        <source>Your colleague of the day. A guess is fine: only you see your streak.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/quiz.py" line="49"/>
        <source>I don&apos;t know</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Search</name>
    <message>
        <location filename="../../kiosk/screens/search.py" line="46"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="80"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="87"/>
        <source>Space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="108"/>
        <source>We don&apos;t know this badge yet. Find your name once, and next time your badge is enough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="109"/>
        <source>Find your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="130"/>
        <source>Type the first letters of your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="132"/>
        <source>Results appear after two letters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="134"/>
        <source>Nobody found. Check the spelling, or try your first name only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/search.py" line="136"/>
        <source>Tap your name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../desktop/parts/session.py" line="137"/>
        <source>Hallway hit an unexpected problem (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/session.py" line="243"/>
        <source>Hallway hit an unexpected problem (%1). Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/session.py" line="283"/>
        <source>The network no longer accepts this computer&apos;s sign-in: it was ended (you signed out elsewhere, or IT did) or it expired. Sign in again to go on; what you wrote waits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/session.py" line="274"/>
        <source>No server is set for Hallway. Ask IT, or see docs/admin.md.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsWindow</name>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="33"/>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="35"/>
        <location filename="../../desktop/views/settings_window.py" line="51"/>
        <source>Quiet hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="37"/>
        <source>Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="40"/>
        <source>Everyone in the company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="41"/>
        <source>People I follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="42"/>
        <source>The calendar app on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="43"/>
        <source>Outlook on the web</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="44"/>
        <source>Google Calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="47"/>
        <source>Notify me of mentions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="48"/>
        <source>Notify me of replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="49"/>
        <source>Notify me of announcements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="50"/>
        <source>Show the colleague of the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="52"/>
        <source>Quiet from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="53"/>
        <source>Quiet until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="54"/>
        <source>Quiet at weekends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="55"/>
        <source>Start Hallway when I sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="56"/>
        <source>Your feed shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="57"/>
        <source>Coffee invitations open in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="58"/>
        <source>When I check in at the kiosk, show me in the office in Teams and Outlook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="82"/>
        <source>Hallway settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="91"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="160"/>
        <source>Set by your organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="203"/>
        <source>Posts tagged #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="203"/>
        <source>Posts in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="111"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings_window.py" line="166"/>
        <source>Set by your organisation: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Signing</name>
    <message>
        <location filename="../../desktop/parts/signing.py" line="36"/>
        <source>Finish signing in in your browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/signing.py" line="42"/>
        <location filename="../../desktop/parts/signing.py" line="49"/>
        <source>Signed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/signing.py" line="48"/>
        <source>Signed in as %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/signing.py" line="49"/>
        <source>Signed in on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/signing.py" line="53"/>
        <source>Sign-in did not finish: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <location filename="../../desktop/app.py" line="86"/>
        <source>Hallway cannot open its data on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="90"/>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="91"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="92"/>
        <source>Hallway cannot open its data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tenure</name>
    <message>
        <location filename="../../ui/language.py" line="88"/>
        <source>Starts soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/language.py" line="90"/>
        <source>Joined today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/language.py" line="92"/>
        <source>Joined %n day(s) ago</source>
        <translation>
            <numerusform>Joined %n day ago</numerusform>
            <numerusform>Joined %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/language.py" line="94"/>
        <source>Joined %n week(s) ago</source>
        <translation>
            <numerusform>Joined %n week ago</numerusform>
            <numerusform>Joined %n weeks ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/language.py" line="96"/>
        <source>Joined %n month(s) ago</source>
        <translation>
            <numerusform>Joined %n month ago</numerusform>
            <numerusform>Joined %n months ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/language.py" line="97"/>
        <source>Joined %n year(s) ago</source>
        <translation>
            <numerusform>Joined %n year ago</numerusform>
            <numerusform>Joined %n years ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../desktop/system/tray.py" line="38"/>
        <source>Open Hallway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="39"/>
        <source>Colleague of the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="40"/>
        <source>Who&apos;s in the office today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="42"/>
        <source>Do not disturb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="44"/>
        <source>For 1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="44"/>
        <source>For 30 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="44"/>
        <source>For 2 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="45"/>
        <source>Until tomorrow morning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="45"/>
        <source>Until I turn it off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="46"/>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="55"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="57"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="58"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/system/tray.py" line="59"/>
        <source>Quit Hallway</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <location filename="../../desktop/views/tray_icon.py" line="44"/>
        <source>Hallway: signed out. Click to sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/tray_icon.py" line="49"/>
        <source>new posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/tray_icon.py" line="51"/>
        <source>all caught up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/tray_icon.py" line="53"/>
        <source>offline, showing what was last synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/tray_icon.py" line="57"/>
        <source>notifications paused</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayWords</name>
    <message numerus="yes">
        <location filename="../../desktop/views/tray_icon.py" line="24"/>
        <source>%n new mention(s)</source>
        <translation>
            <numerusform>%n new mention</numerusform>
            <numerusform>%n new mentions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/views/tray_icon.py" line="27"/>
        <source>%n waiting to send</source>
        <translation>
            <numerusform>%n waiting to send</numerusform>
            <numerusform>%n waiting to send</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WeekPlan</name>
    <message>
        <location filename="../../desktop/parts/office_week.py" line="118"/>
        <source>%1 is in today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/parts/office_week.py" line="119"/>
        <source>In the %1 office. You starred them in Hallway.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeekStrip</name>
    <message>
        <location filename="../../desktop/views/office_week.py" line="28"/>
        <source>Your office week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/office_week.py" line="37"/>
        <source>Share my office days with colleagues</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/views/office_week.py" line="70"/>
        <source>%n planned</source>
        <translation>
            <numerusform>%n planned</numerusform>
            <numerusform>%n planned</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/views/office_week.py" line="76"/>
        <source>%1: %2 planned, you %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/office_week.py" line="77"/>
        <source>in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/office_week.py" line="77"/>
        <source>not in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/office_week.py" line="85"/>
        <source>%1 is in on %2 too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../desktop/views/office_week.py" line="94"/>
        <source>Only you see these days. Share them so colleagues can plan around you.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="32"/>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="47"/>
        <source>Find my name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="64"/>
        <source>Celebrating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="69"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="98"/>
        <source>Good morning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="99"/>
        <source>Good afternoon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="99"/>
        <source>Good evening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="107"/>
        <source>Scan your badge to check in, or find your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="110"/>
        <source>No colleagues to meet yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="111"/>
        <source>The network lists nobody this kiosk may show, so there is no name to find. A badge this kiosk already knows still checks in. IT can see why in the admin panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="115"/>
        <source>Getting ready…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="116"/>
        <source>Hallway is fetching your colleagues. You can still scan your badge: your check-in will be kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="123"/>
        <source>Not here yet? Follow %1 on the company network: that is how you join this kiosk. Unfollow it to leave.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/welcome.py" line="135"/>
        <source>%n colleague(s) in today</source>
        <translation>
            <numerusform>%n colleague in today</numerusform>
            <numerusform>%n colleagues in today</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="135"/>
        <source>Be the first one in today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/welcome.py" line="136"/>
        <source>%n planned</source>
        <translation>
            <numerusform>%n planned</numerusform>
            <numerusform>%n planned</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/screens/welcome.py" line="160"/>
        <source>Quiz streaks: </source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/screens/welcome.py" line="218"/>
        <source>…and %n more to celebrate</source>
        <translation>
            <numerusform>…and %n more to celebrate</numerusform>
            <numerusform>…and %n more to celebrate</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../kiosk/app.py" line="184"/>
        <source>Signed in: the kiosk connects now.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
