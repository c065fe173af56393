// The web chat page's own script (served under a hashed name by the bridge; the page's CSP allows only this origin).
// It keeps the citizen's identity across reloads, sends messages one after the other (waiting when asked to),
// shows the length limit before it is hit, shares the citizen's location when they ask, and notices when the
// bridge is gone and comes back.
(function () {
  'use strict';
  var MAX = Number(document.documentElement.getAttribute('data-max-text')) || 2000;
  var MAX_PHOTO = document.documentElement.getAttribute('data-max-photo') || '10 MB';
  var CITIZEN = 'pmc.webchat.citizen';
  // the bridge knows this label (parse.ts LOCATION_LABEL) and reads the pin alone
  var LOCATION_LABEL = 'माझे ठिकाण (नकाशावर)';
  var SLOW_SENDING = 'संदेश पाठवायला थोडा वेळ लागत आहे; ते क्रमाने पाठवत आहोत, पुन्हा लिहू नका…';
  var HELPLINE = ' तातडीचे असल्यास हेल्पलाईन 1800 1030 222 वर फोन करा.';
  var $ = function (id) { return document.getElementById(id); };
  var current = { directLine: undefined, store: undefined, userId: undefined };
  var restarting; // the restart under way, if any

  function notice(text, opts) {
    var box = $('chat-status');
    box.textContent = text;
    if (opts && opts.reload) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = 'पान पुन्हा उघडा';
      b.onclick = function () { location.reload(); };
      box.appendChild(b);
    }
    box.hidden = false;
    clearTimeout(notice.timer);
    if (opts && opts.forMs) notice.timer = setTimeout(function () { box.hidden = true; }, opts.forMs);
  }
  function clearNotice() { $('chat-status').hidden = true; }

  function readCitizen() { try { return localStorage.getItem(CITIZEN) || undefined; } catch { return undefined; } }
  function keepCitizen(token) { try { localStorage.setItem(CITIZEN, token); } catch { /* private mode: a citizen per visit */ } }

  async function newSession() {
    var citizen = readCitizen();
    var res = await fetch('chat/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(citizen ? { citizen: citizen } : {}) });
    if (!res.ok) throw Object.assign(new Error('no session'), { status: res.status });
    var s = await res.json();
    keepCitizen(s.citizen);
    return s;
  }

  var sleep = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };
  function errorCode(err) {
    var body = err && (err.response || (err.xhr && err.xhr.response));
    if (typeof body === 'string') { try { body = JSON.parse(body); } catch { body = undefined; } }
    return body && body.code;
  }
  function retryAfterMs(err) {
    var v = err && err.xhr && err.xhr.getResponseHeader && err.xhr.getResponseHeader('Retry-After');
    var s = Number(v);
    return Number.isFinite(s) && s > 0 ? Math.min(s, 60) * 1000 : 3000;
  }

  // Web Chat posts each message as soon as it is sent; sent fast, they could overtake one another, and one refused
  // for speed would fail. Here each waits for the one before it, and one refused for speed is sent again after the
  // wait the bridge asks for, with a word to the citizen: nothing is reordered and nothing dropped.
  function sendInOrder(directLine) {
    var post = directLine.postActivity.bind(directLine);
    var chain = Promise.resolve();
    var once = function (activity) {
      return new Promise(function (resolve, reject) {
        post(activity).subscribe({ next: resolve, error: reject });
      });
    };
    var attempt = async function (activity) {
      for (var tries = 0; ; tries++) {
        try {
          var id = await once(activity);
          if (id !== 'retry') { if (tries > 0) clearNotice(); return id; }
          // DirectLineJS answers "retry" (and hides the status) for "too fast" (429) and for a server error: the
          // message did not go. Again after a growing wait, long enough for a minute's limit to pass.
          if (tries >= 10) throw new Error('not sent');
          notice(SLOW_SENDING);
          await sleep(Math.min(2000 * Math.pow(1.5, tries), 10000));
        } catch (err) {
          var status = err && err.status;
          if (status === 429 && tries < 10) {
            notice(SLOW_SENDING);
            await sleep(retryAfterMs(err));
            continue;
          }
          var code = errorCode(err);
          if (code === 'photo-too-large') notice('हा फोटो खूप मोठा आहे (' + MAX_PHOTO + ' पर्यंत चालतो). लहान फोटो पाठवा.', { forMs: 10000 });
          else if (code === 'not-a-photo') notice('येथे फक्त फोटो पाठवता येतात (JPEG, PNG).', { forMs: 10000 });
          else if (code === 'too-many-photos') notice('एका संदेशात 3 फोटोच पाठवता येतात.', { forMs: 10000 });
          else if (status === 401 || status === 403 || status === 404) {
            // the session is gone (a bridge with a new secret, a conversation no longer kept): a new chat, and
            // what the citizen just wrote sent again there, so it is not lost
            restart().then(function () { resend(activity); });
          }
          throw err;
        }
      }
    };
    directLine.postActivity = function (activity) {
      return {
        subscribe: function (observer) {
          var cancelled = false;
          var job = chain.then(function () { return attempt(activity); });
          chain = job.catch(function () { /* the next one still goes */ });
          job.then(
            function (id) {
              if (cancelled) return;
              if (observer.next) observer.next(id);
              if (observer.complete) observer.complete();
            },
            function (err) { if (!cancelled && observer.error) observer.error(err); },
          );
          return { unsubscribe: function () { cancelled = true; } };
        },
      };
    };
  }

  function resend(activity) {
    if (activity.attachments && activity.attachments.length > 0) notice('फोटो पोहोचला नाही; कृपया तो पुन्हा पाठवा.', { forMs: 10000 });
    else if (activity.type === 'message' && activity.text) {
      // once the new chat is connected (Online is 2 in DirectLineJS's ConnectionStatus): Web Chat sends nothing before
      var sent = false;
      var chat = current;
      var subscription = chat.directLine.connectionStatus$.subscribe(function (status) {
        if (status !== 2 || sent) return;
        sent = true;
        setTimeout(function () {
          chat.store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: activity.text } });
          if (subscription) subscription.unsubscribe();
        }, 0);
      });
    }
  }

  // a message over the limit is not sent (what the citizen wrote stays in the box), and they are told why
  function limitMiddleware(storeApi) {
    return function (next) {
      return function (action) {
        if (action && action.type === 'WEB_CHAT/SUBMIT_SEND_BOX') {
          var value = storeApi.getState().sendBoxValue || '';
          if (value.length > MAX) {
            notice('संदेश ' + MAX + ' अक्षरांपेक्षा मोठा आहे (आत्ता ' + value.length + '). तो थोडा लहान करा किंवा दोन संदेशांत पाठवा; लिहिलेले सर्व जसेच्या तसे आहे.');
            return undefined;
          }
        }
        return next(action);
      };
    };
  }

  // Web Chat's Retry posts a failed message again with a new clientActivityID; the id stamped here on the first try
  // stays in its channelData, so the bridge knows the retry of a message it had already taken (one ticket, not two)
  function messageIdMiddleware() {
    return function (next) {
      return function (action) {
        var activity = action && action.type === 'DIRECT_LINE/POST_ACTIVITY' && action.payload && action.payload.activity;
        if (activity && activity.type === 'message' && !(activity.channelData && activity.channelData.messageId)) {
          var bytes = window.crypto.getRandomValues(new Uint8Array(12));
          var id = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
          var stamped = Object.assign({}, activity, { channelData: Object.assign({}, activity.channelData, { messageId: id }) });
          action = Object.assign({}, action, { payload: Object.assign({}, action.payload, { activity: stamped }) });
        }
        return next(action);
      };
    };
  }

  function showCount(value) {
    var count = $('text-count');
    var n = (value || '').length;
    count.textContent = n > MAX - 200 ? n + ' / ' + MAX : '';
    count.className = n > MAX ? 'over' : '';
  }

  var STRINGS = {
    TEXT_INPUT_PLACEHOLDER: 'आपला संदेश येथे लिहा',
    TEXT_INPUT_ALT: 'संदेश लिहिण्याची जागा',
    TEXT_INPUT_SEND_BUTTON_ALT: 'पाठवा',
    TEXT_INPUT_UPLOAD_BUTTON_ALT: 'फोटो पाठवा',
    TEXT_INPUT_DROP_ZONE: 'फोटो येथे सोडा',
    TEXT_INPUT_LENGTH_EXCEEDED_ALT: 'संदेश खूप मोठा आहे',
    TEXT_INPUT_ATTACHMENTS_ONE: '1 फोटो',
    TEXT_INPUT_ATTACHMENTS_TWO: '$1 फोटो',
    TEXT_INPUT_ATTACHMENTS_FEW: '$1 फोटो',
    TEXT_INPUT_ATTACHMENTS_MANY: '$1 फोटो',
    TEXT_INPUT_ATTACHMENTS_OTHER: '$1 फोटो',
    SEND_BOX_IS_EMPTY_TOOLTIP_ALT: 'रिकामा संदेश पाठवता येत नाही.',
    ACTIVITY_YOU_SAID_ALT: 'आपण लिहिले:',
    ACTIVITY_BOT_SAID_ALT: '$1 यांनी लिहिले:',
    ACTIVITY_YOU_ATTACHED_ALT: 'आपण जोडले:',
    ACTIVITY_BOT_ATTACHED_ALT: 'महानगरपालिकेने जोडले:',
    ACTIVITY_NUM_ATTACHMENTS_ONE_ALT: '1 जोडणी.',
    ACTIVITY_NUM_ATTACHMENTS_TWO_ALT: '$1 जोडण्या.',
    ACTIVITY_NUM_ATTACHMENTS_FEW_ALT: '$1 जोडण्या.',
    ACTIVITY_NUM_ATTACHMENTS_MANY_ALT: '$1 जोडण्या.',
    ACTIVITY_NUM_ATTACHMENTS_OTHER_ALT: '$1 जोडण्या.',
    ACTIVITY_STATUS_SEND_STATUS_ALT_SENDING: 'पाठवत आहे',
    ACTIVITY_STATUS_SEND_STATUS_ALT_SENT_AT: 'पाठवले',
    ACTIVITY_STATUS_SEND_FAILED_RETRY: 'पाठवता आले नाही. [पुन्हा पाठवा][RETRY].',
    ACTIVITY_STATUS_TIMESTAMP_JUST_NOW: 'आत्ताच',
    ACTIVITY_STATUS_TIMESTAMP_ONE_MINUTE_AGO: 'एक मिनिटापूर्वी',
    ACTIVITY_STATUS_TIMESTAMP_ONE_HOUR_AGO: 'एक तासापूर्वी',
    ACTIVITY_STATUS_TIMESTAMP_TODAY: 'आज',
    ACTIVITY_STATUS_TIMESTAMP_YESTERDAY: 'काल',
    ACTIVITY_INTERACTIVE_FOOTNOTE_ALT: 'निवडण्यासाठी दाबा.',
    ACTIVITY_INTERACTIVE_REASON_INTERACTIVE_CONTENT_ALT: 'या संदेशात पर्याय आहेत.',
    ACTIVITY_INTERACTIVE_REASON_LINK_ALT: 'या संदेशात दुवा आहे.',
    ACTIVITY_INTERACTIVE_REASON_SEND_FAILED_ALT: 'पाठवता आले नाही.',
    ATTACHMENT_IMAGE: 'एक फोटो',
    ATTACHMENT_FILE: 'एक फाईल: $1',
    CONNECTIVITY_STATUS_ALT_CONNECTING: 'जोडत आहे…',
    CONNECTIVITY_STATUS_ALT_CONNECTED: 'जोडले आहे',
    CONNECTIVITY_STATUS_ALT_RECONNECTING: 'जोडणी तुटली. पुन्हा जोडत आहे…',
    CONNECTIVITY_STATUS_ALT_SLOW_CONNECTION: 'नेहमीपेक्षा जास्त वेळ लागत आहे.',
    CONNECTIVITY_STATUS_ALT_FATAL: 'जोडता आले नाही. पान पुन्हा उघडा.',
    CONNECTIVITY_STATUS_ALT: 'जोडणी: $1',
    SUGGESTED_ACTIONS_LABEL_ALT: 'सुचवलेली उत्तरे',
    SUGGESTED_ACTIONS_FLIPPER_NEXT_ALT: 'पुढे',
    SUGGESTED_ACTIONS_FLIPPER_PREVIOUS_ALT: 'मागे',
    TRANSCRIPT_ARIA_LABEL_ALT: 'संभाषण; पुढे-मागे जाण्यासाठी बाणांच्या कळा वापरा.',
    TRANSCRIPT_ARIA_ROLE_ALT: 'संभाषण',
    TRANSCRIPT_NEW_MESSAGES: 'नवे संदेश',
    TRANSCRIPT_MORE_MESSAGES: 'आणखी संदेश',
    TRANSCRIPT_TERMINATOR_TEXT: 'संभाषणाचा शेवट',
    TRANSCRIPT_LIVE_REGION_SEND_FAILED_ALT: 'संदेश पाठवता आला नाही.',
    TRANSCRIPT_LIVE_REGION_SUGGESTED_ACTIONS_LABEL_ALT: 'या संदेशात सुचवलेली उत्तरे आहेत. ती निवडण्यासाठी शिफ्ट आणि टॅब 2-3 वेळा दाबा.',
    KEYBOARD_HELP_HEADER: 'कळफलक वापर',
    KEYBOARD_HELP_CLOSE_BUTTON_ALT: 'बंद करा',
    KEYBOARD_HELP_CHAT_HISTORY_HEADER: 'संभाषण',
    KEYBOARD_HELP_CHAT_WINDOW_HEADER: 'चॅट खिडकी',
    KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_MESSAGES_HEADER: 'संदेशांमध्ये पुढे-मागे',
    KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_MESSAGES_BODY: 'वरचा बाण\nखालचा बाण',
    KEYBOARD_HELP_CHAT_HISTORY_ACCESS_ITEMS_IN_MESSAGE_HEADER: 'संदेशातील पर्याय उघडा',
    KEYBOARD_HELP_CHAT_HISTORY_ACCESS_ITEMS_IN_MESSAGE_BODY: 'एंटर',
    KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_ITEMS_HEADER: 'संदेशातील पर्यायांमध्ये पुढे-मागे',
    KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_ITEMS_BODY: 'टॅब\nशिफ्ट + टॅब',
    KEYBOARD_HELP_CHAT_HISTORY_LEAVE_MESSAGE_HEADER: 'संदेशातून बाहेर',
    KEYBOARD_HELP_CHAT_HISTORY_LEAVE_MESSAGE_BODY: 'एस्केप',
    KEYBOARD_HELP_CHAT_WINDOW_BODY_MOVE_BETWEEN_ITEMS_HEADER: 'चॅट खिडकीत पुढे-मागे',
    KEYBOARD_HELP_CHAT_WINDOW_BODY_MOVE_BETWEEN_ITEMS_BODY: 'टॅब\nशिफ्ट + टॅब',
    KEYBOARD_HELP_CHAT_WINDOW_BODY_DO_ACTION_HEADER: 'निवडा',
    KEYBOARD_HELP_CHAT_WINDOW_BODY_DO_ACTION_BODY: 'एंटर',
    TOAST_DISMISS_BUTTON: 'बंद करा',
    TOAST_ALT_ERROR: 'त्रुटी',
    TOAST_ALT_INFO: 'माहिती',
    TOAST_ALT_SUCCESS: 'झाले',
    TOAST_ALT_WARN: 'सूचना',
    TOAST_TITLE_ALT: 'सूचना',
    TOAST_ACCORDION_TWO: '$1 सूचना: तपशीलासाठी येथे दाबा',
    TOAST_ACCORDION_FEW: '$1 सूचना: तपशीलासाठी येथे दाबा',
    TOAST_ACCORDION_MANY: '$1 सूचना: तपशीलासाठी येथे दाबा',
    TOAST_ACCORDION_OTHER: '$1 सूचना: तपशीलासाठी येथे दाबा',
    ACCESS_KEY_ALT: 'Alt Shift $1',
    ACCESS_KEY_FOR_MAC_ALT: 'Control Option $1',
    ACTIVITY_ERROR_BOX_TITLE: 'त्रुटीचा संदेश',
    ATTACHMENT_AUDIO: 'एक ध्वनिफीत.',
    ATTACHMENT_VIDEO: 'एक व्हिडिओ',
    ATTACHMENT_TEXT: 'मजकूर: $1',
    ATTACHMENT_CARD: 'एक कार्ड: $1 $2 $3',
    CONNECTIVITY_STATUS_ALT_RENDER_ERROR: 'चॅट दाखवता आले नाही. पान पुन्हा उघडा.',
    FILE_CONTENT_ALT: "'$1'",
    FILE_CONTENT_WITH_SIZE_ALT: "'$1', आकार $2",
    FILE_CONTENT_DOWNLOADABLE_ALT: "'$1' फाईल उघडा",
    FILE_CONTENT_DOWNLOADABLE_WITH_SIZE_ALT: "'$1' फाईल उघडा, आकार $2",
    MARKDOWN_EXTERNAL_LINK_ALT: 'नव्या खिडकीत उघडते; बाहेरचा दुवा.',
    TRANSCRIPT_LIVE_REGION_INTERACTIVE_LABEL_ALT: 'या संदेशात पर्याय आहेत. संभाषणात जाण्यासाठी शिफ्ट आणि टॅब 2-3 वेळा दाबा, मग संदेशावर दाबा.',
    TRANSCRIPT_LIVE_REGION_INTERACTIVE_WITH_LINKS_LABEL_ALT: 'या संदेशात दुवा आहे. संभाषणात जाण्यासाठी शिफ्ट आणि टॅब 2-3 वेळा दाबा, मग संदेशावर दाबा.',
    TRANSCRIPT_LIVE_REGION_SUGGESTED_ACTIONS_WITH_ACCESS_KEY_LABEL_ALT: 'या संदेशात सुचवलेली उत्तरे आहेत. ती निवडण्यासाठी $1 दाबा.',
    TYPING_INDICATOR_ALT: 'लिहीत आहे',
    TYPING_INDICATOR_SINGLE_TEXT: '$1 लिहीत आहेत.',
    TYPING_INDICATOR_MULTIPLE_TEXT: '$1 आणि इतर लिहीत आहेत.',
  };

  // The bot's words come as the little markdown the bridge writes (src/render/markdown-text.ts): backslash escapes,
  // [1800 1030 222](tel:18001030222) links and line breaks. Web Chat's minimal bundle has no markdown renderer, and
  // a full one is not needed for this: everything else is shown as the text it is.
  var HTML_CHARS = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function html(text) { return text.replace(/[&<>"']/g, function (c) { return HTML_CHARS[c]; }); }
  function unescapeMarkdown(text) { return text.replace(/\\([!-/:-@[-`{-~])/g, '$1'); }
  var BRIDGE_MARKDOWN = /\\([!-/:-@[-`{-~])|\[((?:\\.|[^\]\\])*)\]\(tel:(\+?\d{3,15})\)/g;
  function renderBotText(markdown) {
    var out = '';
    var at = 0;
    markdown.replace(BRIDGE_MARKDOWN, function (all, escaped, label, number, index) {
      out += html(markdown.slice(at, index));
      out += escaped !== undefined ? html(escaped) : '<a href="tel:' + number + '">' + html(unescapeMarkdown(label)) + '</a>';
      at = index + all.length;
      return all;
    });
    out += html(markdown.slice(at));
    // as markdown renderers do: a paragraph (Web Chat keeps only what is inside elements)
    return '<p>' + out.split(/\n/).join('<br />') + '</p>';
  }

  var STYLE = {
    botAvatarInitials: 'मनपा',
    userAvatarInitials: 'मी',
    primaryFont: "'PMC Devanagari', 'Noto Sans Devanagari', sans-serif",
    bubbleBackground: '#eef3f8',
    bubbleBorderColor: '#c8d8e8',
    bubbleBorderRadius: 12,
    bubbleFromUserBackground: '#0b4f8a',
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderRadius: 12,
    suggestedActionHeight: 44,
    sendBoxButtonColor: '#0b4f8a',
    sendBoxHeight: 48,
    uploadAccept: 'image/*',
    uploadMultiple: false,
    // a photo chosen is sent at once: it answers the bot's question, no second tap on send
    sendAttachmentOn: 'attach',
    timestampFormat: 'relative',
  };

  // This script runs before Web Chat (it is first in the page): the session is asked for while Web Chat downloads,
  // and the chat is drawn once Web Chat has run (DOMContentLoaded comes after every deferred script).
  var early = newSession();
  early.catch(function () { /* restart() asks again */ });
  var webChatReady = new Promise(function (resolve) {
    if (window.WebChat) resolve();
    else document.addEventListener('DOMContentLoaded', resolve);
  });

  async function start() {
    var session = await (early || newSession());
    early = undefined;
    await webChatReady;
    if (!window.WebChat) throw new Error('Web Chat did not load');
    var directLine = window.WebChat.createDirectLine({
      token: session.token,
      conversationId: session.conversationId,
      domain: new URL('v3/directline', document.baseURI).href,
      webSocket: false,
      pollingInterval: 500,
    });
    sendInOrder(directLine);
    var store = window.WebChat.createStore({}, limitMiddleware, messageIdMiddleware);
    store.subscribe(function () { showCount(store.getState().sendBoxValue); });
    var previous = current.directLine;
    current = { directLine: directLine, store: store, userId: session.userId };
    if (previous && previous.end) { try { previous.end(); } catch { /* already ended */ } }
    // a token that no longer verifies, or a conversation no longer kept: a new session, without a word to the citizen
    // (ExpiredToken 4 and Ended 5 of DirectLineJS's ConnectionStatus; FailedToConnect 3 is left to the watcher)
    directLine.connectionStatus$.subscribe(function (status) {
      if (current.directLine === directLine && (status === 4 || status === 5)) restart();
    });
    window.WebChat.renderWebChat(
      { directLine: directLine, store: store, userID: session.userId, locale: 'mr-IN', styleOptions: STYLE, overrideLocalizedStrings: STRINGS, renderMarkdown: renderBotText },
      $('webchat'),
    );
    $('chat-loading').hidden = true;
    $('webchat').hidden = false;
    $('chat-tools').hidden = false;
    window.pmcChat = { userId: session.userId, conversationId: session.conversationId, resumed: session.resumed };
  }

  // a new session and chat (the citizen stays the same: their token is in localStorage); one at a time
  function restart() {
    if (!restarting) {
      restarting = (async function () {
        for (;;) {
          try {
            await start();
            clearNotice();
            return;
          } catch {
            notice('सर्व्हरशी संपर्क होत नाही. पुन्हा प्रयत्न करत आहोत…' + HELPLINE, { reload: true });
            await sleep(3000);
          }
        }
      })();
      restarting.then(function () { restarting = undefined; });
    }
    return restarting;
  }

  // DirectLineJS stops polling, silently, when the bridge cannot be reached: the page watches for itself
  function watchBridge() {
    var down = 0;
    setInterval(async function () {
      if (document.hidden) return;
      var ok = false;
      try { ok = (await fetch('healthz', { cache: 'no-store' })).ok; } catch { ok = false; }
      if (!ok) {
        if (++down === 2) notice('सर्व्हरशी संपर्क तुटला आहे. तो परत येताच चॅट पुढे चालू होईल.' + HELPLINE, { reload: true });
        return;
      }
      if (down >= 2) { down = 0; restart(); }
      down = 0;
    }, 3000);
  }

  $('share-location').onclick = function () {
    if (!navigator.geolocation) { notice('या फोनवरून ठिकाण पाठवता येत नाही. परिसराचे नाव लिहा.', { forMs: 8000 }); return; }
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        current.store.dispatch({
          type: 'DIRECT_LINE/POST_ACTIVITY',
          meta: { method: 'location' },
          payload: { activity: { type: 'message', text: LOCATION_LABEL, channelData: { location: { lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy: pos.coords.accuracy } } } },
        });
      },
      function () { notice('ठिकाण मिळाले नाही (परवानगी दिली नाही). परिसराचे नाव आणि जवळची खूण लिहा.', { forMs: 10000 }); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  };

  // Web Chat names messages and attachments to screen readers in English, not from its strings: said in Marathi
  var ROLES = { message: 'संदेश', attachment: 'जोडणी' };
  new MutationObserver(function () {
    var english = $('webchat').querySelectorAll('[aria-roledescription="message"], [aria-roledescription="attachment"]');
    for (var i = 0; i < english.length; i++) english[i].setAttribute('aria-roledescription', ROLES[english[i].getAttribute('aria-roledescription')]);
  }).observe($('webchat'), { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-roledescription'] });

  restart();
  watchBridge();
})();
